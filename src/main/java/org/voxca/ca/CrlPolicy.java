package org.voxca.ca;

import java.time.Duration;
import java.time.Instant;

/**
 * The CA's CRL timing rules, in one place: the lifetime of every CRL voxca signs ({@code voxca {
 * crl-ttl }}, Puppet Server's fixed five years by default), thisUpdate backdated so agents with
 * slow clocks accept a fresh CRL, and the window in which a CRL close to its nextUpdate is
 * re-signed: a third of the lifetime or 30 days (Puppet's {@code crl-expiration-window-days}),
 * whichever is shorter.
 */
record CrlPolicy(Duration lifetime) {
  /** Puppet Server's fixed CRL lifetime: five years. */
  static final Duration PUPPET_LIFETIME = Duration.ofDays(5 * 365);

  /** voxca backdates thisUpdate so agents with slow clocks accept the CRL. */
  static final Duration BACKDATE = Duration.ofMinutes(5);

  private static final Duration MAX_WINDOW = Duration.ofDays(30);

  /** A CRL whose nextUpdate comes within this window is re-signed. */
  Duration refreshWindow() {
    Duration third = lifetime.dividedBy(3);
    return third.compareTo(MAX_WINDOW) < 0 ? third : MAX_WINDOW;
  }

  Instant thisUpdate(Instant now) {
    return now.minus(BACKDATE);
  }

  Instant nextUpdate(Instant now) {
    return now.plus(lifetime);
  }
}
