package org.voxca.ca;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One change the CA made (or refused to make, for an autosign decision), as the audit log and the
 * metrics see it: when, what, who asked ({@link Actor}), for which name, with which serials. Never
 * holds key material or a CSR body.
 *
 * @param outcome one word ({@code signed}, {@code pending}...), optionally followed by {@code ": "}
 *     and the reason in words
 * @param signTime how long the signature took, for {@link Kind#SIGNED} and {@link Kind#RENEWED}
 */
public record CaEvent(
    Instant time,
    Kind kind,
    String actor,
    String target,
    List<BigInteger> serials,
    String outcome,
    Duration signTime) {

  public CaEvent {
    serials = List.copyOf(serials);
  }

  /** The outcome's first word, without its reason: what metrics count by. */
  public String outcomeWord() {
    int colon = outcome.indexOf(':');
    return colon < 0 ? outcome : outcome.substring(0, colon);
  }

  /** What changed; the audit log writes the lower-case name. */
  public enum Kind {
    CSR_SUBMITTED,
    CSR_DELETED,
    /** A submission that autosign did not sign: outcome names why (pending, server-name). */
    AUTOSIGN_DECLINED,
    SIGNED,
    RENEWED,
    REVOKED,
    CLEANED,
    CA_EXTENDED,
    /** A CA key rollover moved on a stage: outcome names it (prepared, aborted). */
    CA_ROLLOVER,
    CRL_RESIGNED,
    CRL_UPDATED,
    /**
     * The operator console: a session opened (by link or certificate) or closed; target is the
     * admin, outcome says which. A refused link is only in the server log (anyone may try one).
     */
    CONSOLE_SESSION;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Something told about every {@link CaEvent}, after the change is durable. */
  @FunctionalInterface
  public interface Listener {
    void on(CaEvent event);
  }
}
