package org.voxca.ca;

import java.security.cert.X509Certificate;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the CA certificate may sign now: a CA whose certificate has expired, or is not valid yet
 * (a clock set wrong), issues nothing — a certificate from it would fail every verification — and
 * says how to recover. Each refusal is logged at ERROR.
 */
public enum CaValidity {
  /** The CA certificate's notAfter has passed. */
  CA_EXPIRED,
  /** The CA certificate's notBefore is still ahead (or the clock is wrong). */
  CA_NOT_YET_VALID;

  private static final Logger LOG = LoggerFactory.getLogger(CaValidity.class);

  /** The problem of {@code ca} at {@code now}, or null when it may sign. */
  public static CaValidity of(X509Certificate ca, Instant now) {
    if (now.isAfter(ca.getNotAfter().toInstant())) {
      return CA_EXPIRED;
    }
    if (now.isBefore(ca.getNotBefore().toInstant())) {
      return CA_NOT_YET_VALID;
    }
    return null;
  }

  /**
   * Refuses (503, an ERROR in the log) to issue for {@code name} at {@code now} with {@code ca}, or
   * to give a certificate a {@code notAfter} that is not after {@code now}.
   */
  static void requireUsable(X509Certificate ca, Instant now, Instant notAfter, String name) {
    CaValidity p = of(ca, now);
    String message;
    if (p == CA_EXPIRED) {
      message =
          "The CA certificate expired at "
              + ca.getNotAfter().toInstant()
              + ": no certificate can be issued until it is extended (`voxca ca extend --ttl 5y`,"
              + " or POST /voxca/v1/ca_extension)";
    } else if (p == CA_NOT_YET_VALID) {
      message =
          "The CA certificate is not valid before "
              + ca.getNotBefore().toInstant()
              + ": no certificate can be issued until then (is this server's clock right?)";
    } else if (notAfter != null && !notAfter.isAfter(now)) {
      message =
          "The CA certificate expires at "
              + ca.getNotAfter().toInstant()
              + ": a certificate issued now would already be expired; extend the CA certificate"
              + " (`voxca ca extend --ttl 5y`)";
    } else {
      return;
    }
    LOG.error("Refused to issue a certificate for {}: {}", name, message);
    throw new CaException(Reason.CA_UNUSABLE, message);
  }
}
