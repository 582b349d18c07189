package org.voxca.ca;

import java.time.Duration;
import java.time.Instant;

/**
 * The CA's CRL timing rules, in one place: Puppet Server's fixed five-year lifetime, thisUpdate
 * backdated so agents with slow clocks accept a fresh CRL, and the window in which a CRL close to
 * its nextUpdate is re-signed (Puppet's {@code crl-expiration-window-days}).
 */
final class CrlPolicy {
  /** Puppet Server's fixed CRL lifetime: five years. */
  static final Duration LIFETIME = Duration.ofDays(5 * 365);

  /** voxca backdates thisUpdate so agents with slow clocks accept the CRL. */
  static final Duration BACKDATE = Duration.ofMinutes(5);

  /** A CRL whose nextUpdate comes within this window is re-signed (at start and hourly). */
  static final Duration REFRESH_WINDOW = Duration.ofDays(30);

  private CrlPolicy() {}

  static Instant thisUpdate(Instant now) {
    return now.minus(BACKDATE);
  }

  static Instant nextUpdate(Instant now) {
    return now.plus(LIFETIME);
  }
}
