package org.voxca.ca;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voxca.pki.CaExtension;
import org.voxca.pki.Issuer;
import org.voxca.pki.Pem;
import org.voxca.store.CaStore;

/**
 * The CA certificate's own life: extending it (same key, subject, serial and extensions, new dates;
 * the old bundle kept as {@code ca_crt.pem.<date>}), and a daily WARN from a year before it
 * expires. Agents holding the old certificate keep working: nothing they verify against changes.
 */
final class CaCertificateLife {
  static final Duration WARN_BEFORE = Duration.ofDays(365);
  private static final Logger LOG = LoggerFactory.getLogger(CaCertificateLife.class);
  private static final DateTimeFormatter SUFFIX =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC);

  private final CaStore store;
  private final AtomicReference<Issuer> issuer;
  private final TrustState trust;
  private final Clock clock;

  CaCertificateLife(CaStore store, AtomicReference<Issuer> issuer, TrustState trust, Clock clock) {
    this.store = store;
    this.issuer = issuer;
    this.trust = trust;
    this.clock = clock;
  }

  /** Re-signs the (self-signed) CA certificate to expire {@code ttl} from now; returns it. */
  synchronized X509Certificate extend(Duration ttl) {
    Issuer old = issuer.get();
    X509Certificate cert = old.certificate();
    if (!cert.getSubjectX500Principal().equals(cert.getIssuerX500Principal())) {
      throw new CaException(
          Reason.CONFLICT,
          "The CA certificate is signed by "
              + cert.getIssuerX500Principal().getName()
              + ": extend it with that CA's key, then import the new bundle");
    }
    if (ttl.isNegative() || ttl.isZero() || ttl.toSeconds() > 1_576_800_000L) {
      throw new CaException(Reason.BAD_REQUEST, "ttl must be between 1 second and 50 years");
    }
    Instant now = clock.instant();
    X509Certificate next =
        CaExtension.extend(cert, old.key(), now.minus(Duration.ofDays(1)), now.plus(ttl));
    List<X509Certificate> bundle = new ArrayList<>(old.bundle());
    bundle.replaceAll(c -> c.equals(cert) ? next : c);
    store.replaceCaBundle(
        Pem.encode(bundle.toArray()).getBytes(StandardCharsets.US_ASCII), SUFFIX.format(now));
    issuer.set(new Issuer(next, old.key(), bundle));
    trust.reload();
    LOG.info(
        "Extended the CA certificate {}: valid until {} (was {}); the previous bundle is kept as"
            + " ca_crt.pem.{}",
        cert.getSubjectX500Principal().getName(),
        next.getNotAfter().toInstant(),
        cert.getNotAfter().toInstant(),
        SUFFIX.format(now));
    return next;
  }

  /** A WARN when the CA certificate expires within a year; true when it does. */
  boolean warnIfExpiring() {
    Instant notAfter = issuer.get().certificate().getNotAfter().toInstant();
    Duration left = Duration.between(clock.instant(), notAfter);
    if (left.compareTo(WARN_BEFORE) > 0) {
      return false;
    }
    LOG.warn(
        "The CA certificate expires at {} ({} days from now): run `voxca ca extend` before then",
        notAfter,
        Math.max(0, left.toDays()));
    return true;
  }
}
