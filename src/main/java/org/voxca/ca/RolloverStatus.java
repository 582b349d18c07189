package org.voxca.ca;

import java.time.Instant;
import java.util.List;

/**
 * Where a CA key rollover stands: {@code none}, {@code prepared}, {@code active} or {@code
 * aborting}; since when; the current generation and the next one (null when none); whether the
 * served bundle holds the next generation; which of them signs new certificates ({@code current} or
 * {@code next}); notes for the operator (what to copy or destroy by hand); and the next root when a
 * two-level CA rolls its root too (null otherwise).
 */
public record RolloverStatus(
    String stage,
    Instant since,
    Generation current,
    Generation next,
    boolean published,
    String signing,
    Fetches fetches,
    List<String> notes,
    Generation nextRoot) {

  public RolloverStatus {
    notes = List.copyOf(notes);
  }

  /** A status with no next root (the root stays, or no rollover). */
  public RolloverStatus(
      String stage,
      Instant since,
      Generation current,
      Generation next,
      boolean published,
      String signing,
      Fetches fetches,
      List<String> notes) {
    this(stage, since, current, next, published, signing, fetches, notes, null);
  }

  /**
   * Distinct agents (by certname) that fetched the CA bundle and the CRL chain while the next CA
   * was published, counted by this server since {@code since} (its start, or the rollover's); null
   * when no next CA is published.
   */
  public record Fetches(int bundle, int crl, Instant since) {}

  /** One generation of the CA: its subject, SHA-256 fingerprint, key and validity end. */
  public record Generation(String subject, String fingerprint, String key, Instant notAfter) {}

  /** This status with {@code more} notes after its own. */
  RolloverStatus withNotes(List<String> more) {
    List<String> all = new java.util.ArrayList<>(notes);
    all.addAll(more);
    return new RolloverStatus(
        stage, since, current, next, published, signing, fetches, all, nextRoot);
  }
}
