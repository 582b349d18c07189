package org.voxca.ca;

/**
 * What the CA remembers of a pending CSR besides the CSR: why it was not autosigned, and who
 * submitted it (the certname of an authenticated client, else {@code anonymous@<address>}). Both
 * travel in the store's one decision text, the requester first and a tab between; a text stored
 * before the requester was recorded has no tab and no requester.
 */
public record PendingNote(String reason, String requester) {
  private static final char SEPARATOR = '\t';

  /** The stored form. */
  String encode() {
    return requester == null || requester.indexOf(SEPARATOR) >= 0
        ? reason
        : requester + SEPARATOR + reason;
  }

  /** Reads a stored decision text. */
  static PendingNote decode(String stored) {
    int tab = stored.indexOf(SEPARATOR);
    return tab < 0
        ? new PendingNote(stored, null)
        : new PendingNote(stored.substring(tab + 1), stored.substring(0, tab));
  }

  /** The note of a CSR now being left pending, by the request's actor. */
  static String of(String reason) {
    return new PendingNote(reason, Actor.current()).encode();
  }
}
