package org.voxca.ca;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voxca.pki.CaExtension;
import org.voxca.pki.Issuer;
import org.voxca.pki.Pem;
import org.voxca.pki.PublicKeys;
import org.voxca.store.CaStore;

/**
 * The CA certificate's own life: extending it (same key, subject, serial and extensions, new dates;
 * the old bundle kept as {@code ca_crt.pem.<date>}), and a daily WARN from a year before it
 * expires. Agents holding the old certificate keep working: nothing they verify against changes.
 */
final class CaCertificateLife {
  static final Duration WARN_BEFORE = Duration.ofDays(365);

  /** The shortest life an extension may give, forced or not. */
  static final Duration MIN_LIFE = Duration.ofDays(1);

  private static final Logger LOG = LoggerFactory.getLogger(CaCertificateLife.class);
  private static final DateTimeFormatter SUFFIX =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC);

  private final CaStore store;
  private final AtomicReference<Issuer> issuer;
  private final TrustState trust;
  private final Clock clock;
  private final EventSink events;
  private final CaKeys keys;

  CaCertificateLife(
      CaStore store,
      AtomicReference<Issuer> issuer,
      TrustState trust,
      Clock clock,
      EventSink events,
      CaKeys keys) {
    this.keys = keys;
    this.store = store;
    this.events = events;
    this.issuer = issuer;
    this.trust = trust;
    this.clock = clock;
  }

  /**
   * Re-signs a CA certificate to expire {@code ttl} from now and returns it: the signing CA's (by
   * its own key when self-signed, by the root key of a two-level CA otherwise, clamped to the
   * root's notAfter), or with {@code root} the two-level CA's root. Never to less than a day, and
   * never to an earlier notAfter than the certificate has unless {@code force}.
   */
  synchronized X509Certificate extend(Duration ttl, boolean root, boolean force) {
    if (ttl.compareTo(MIN_LIFE) < 0 || ttl.toSeconds() > 1_576_800_000L) {
      throw new CaException(
          Reason.BAD_REQUEST, "ttl must be between 1 day (86400 seconds) and 50 years");
    }
    store
        .documents()
        .nextGeneration()
        .ifPresent(
            n -> {
              throw new CaException(
                  Reason.CONFLICT,
                  "A CA key rollover is "
                      + n.stage().text()
                      + ": finish or abort it before extending the CA certificate");
            });
    Issuer current = issuer.get();
    Optional<Issuer> rootCa = root(current);
    X509Certificate target =
        root ? rootCa.map(Issuer::certificate).orElse(null) : current.certificate();
    if (target == null) {
      throw new CaException(Reason.CONFLICT, "This CA has no root key (root_key.pem) to extend");
    }
    boolean selfSigned = target.getSubjectX500Principal().equals(target.getIssuerX500Principal());
    if (!selfSigned && rootCa.isEmpty()) {
      throw new CaException(
          Reason.CONFLICT,
          "The CA certificate is signed by "
              + target.getIssuerX500Principal().getName()
              + ": extend it with that CA's key, then import the new bundle");
    }
    Instant now = clock.instant();
    Instant notAfter = now.plus(ttl);
    if (!selfSigned) {
      Instant parentEnd = rootCa.get().certificate().getNotAfter().toInstant();
      if (notAfter.isAfter(parentEnd)) {
        LOG.warn(
            "The CA certificate cannot outlive its root: notAfter clamped to {}"
                + " (extend the root first with --root)",
            parentEnd);
        notAfter = parentEnd;
      }
    }
    Instant before = target.getNotAfter().toInstant();
    if (notAfter.isBefore(before) && !force) {
      throw new CaException(
          Reason.BAD_REQUEST,
          "Extending to "
              + notAfter
              + " would shorten the certificate's life (it is valid until "
              + before
              + "); ask for a longer ttl, or force it");
    }
    PrivateKey signer =
        selfSigned ? (root ? rootCa.get().key() : current.key()) : rootCa.get().key();
    X509Certificate next =
        CaExtension.extend(target, signer, now.minus(Duration.ofDays(1)), notAfter);
    List<X509Certificate> bundle = new ArrayList<>(current.bundle());
    bundle.replaceAll(c -> c.equals(target) ? next : c);
    store
        .documents()
        .replaceCaBundle(
            Pem.encode(bundle.toArray()).getBytes(StandardCharsets.US_ASCII), SUFFIX.format(now));
    issuer.set(new Issuer(root ? current.certificate() : next, current.key(), bundle));
    trust.reload();
    LOG.info(
        "Extended the {} certificate {}: valid until {} (was {}); the previous bundle is kept as"
            + " ca_crt.pem.{}",
        root ? "root CA" : "CA",
        target.getSubjectX500Principal().getName(),
        next.getNotAfter().toInstant(),
        target.getNotAfter().toInstant(),
        SUFFIX.format(now));
    events.emit(
        CaEvent.Kind.CA_EXTENDED,
        root ? "root" : "ca",
        List.of(next.getSerialNumber()),
        "valid until " + next.getNotAfter().toInstant());
    return next;
  }

  /** The root of a two-level CA whose key this directory keeps, as an issuer. */
  private Optional<Issuer> root(Issuer current) {
    return store
        .documents()
        .rootKey()
        .flatMap(
            pem -> {
              KeyPair pair = keys.open("root", pem);
              for (X509Certificate c : current.bundle()) {
                if (PublicKeys.same(c.getPublicKey(), pair.getPublic())) {
                  return Optional.of(new Issuer(c, pair.getPrivate(), List.of(c)));
                }
              }
              return Optional.empty();
            });
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
