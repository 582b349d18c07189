package org.voxca.ca;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voxca.pki.Certificates;
import org.voxca.pki.Issuer;
import org.voxca.pki.KeyIds;
import org.voxca.pki.Pem;
import org.voxca.pki.PublicKeys;
import org.voxca.store.CaStore;
import org.voxca.store.Replicated;
import org.voxca.store.StoredFile;

/**
 * Certificate renewal (the renewal endpoint of Puppet Server 8): checks that this CA issued the
 * presented certificate (AKI and signature), that it is valid, unrevoked and still the CA's record
 * for its name, then issues the renewal under the name's lock.
 */
final class Renewal {
  static final String RENEWAL_DISABLED = "certificate-authority.allow-auto-renewal is not enabled.";
  static final String NO_VALID_CERT = "No valid certificate found in renewal request";
  static final String NOT_OURS = "Certificate present, but does not match signature";
  private static final Logger LOG = LoggerFactory.getLogger(Renewal.class);

  private final CaStore store;
  private final Issuer issuer;
  private final CaSettings settings;
  private final TrustState trust;
  private final Issuance issuance;
  private final NameLocks locks;
  private final Clock clock;

  private final EventSink events;
  private final java.util.function.Function<X509Certificate, List<X509Certificate>> accepted;

  /**
   * {@code accepted} gives, for the current CA certificate, every CA certificate whose certificates
   * this CA renews (the next generation's too during a key rollover).
   */
  Renewal(
      java.util.function.Function<X509Certificate, List<X509Certificate>> accepted,
      CaStore store,
      Issuer issuer,
      CaSettings settings,
      TrustState trust,
      Issuance issuance,
      NameLocks locks,
      Clock clock,
      EventSink events) {
    this.events = events;
    this.accepted = accepted;
    this.store = store;
    this.issuer = issuer;
    this.settings = settings;
    this.trust = trust;
    this.issuance = issuance;
    this.locks = locks;
    this.clock = clock;
  }

  Document renew(X509Certificate presented) {
    if (!settings.allowAutoRenewal()) {
      throw new CaException(Reason.NOT_FOUND, RENEWAL_DISABLED);
    }
    if (presented == null) {
      throw new CaException(Reason.BAD_REQUEST, NO_VALID_CERT);
    }
    checkIssuedHere(presented);
    String name = Certificates.commonName(presented);
    if (!NameRules.pathSafe(name)) {
      throw new CaException(Reason.BAD_REQUEST, NO_VALID_CERT);
    }
    try (Replicated.Held held = locks.hold(name)) {
      Instant now = clock.instant();
      checkStillValid(name, presented, now);
      long t0 = System.nanoTime();
      X509Certificate renewed = issuance.renew(name, presented, settings.autoRenewalCertTtl());
      events.emit(
          CaEvent.Kind.RENEWED,
          Actor.current(),
          name,
          List.of(presented.getSerialNumber(), renewed.getSerialNumber()),
          "renewed",
          Duration.ofNanos(System.nanoTime() - t0));
      return new Document(Pem.encode(renewed).getBytes(StandardCharsets.US_ASCII), now);
    }
  }

  /** The refusal for a presented certificate verification did not accept; never signs. */
  void refuse(X509Certificate presented) {
    checkIssuedHere(presented);
    throw new CaException(Reason.BAD_REQUEST, NO_VALID_CERT);
  }

  /**
   * True when this CA signed {@code cert} (with the key of either generation during a rollover),
   * and it is within its validity and unrevoked.
   */
  boolean recognizes(X509Certificate cert) {
    Instant now = clock.instant();
    if (now.isBefore(cert.getNotBefore().toInstant())
        || now.isAfter(cert.getNotAfter().toInstant())
        || trust.revoked(cert)) {
      return false;
    }
    for (X509Certificate ca : accepted.apply(issuer.certificate())) {
      if (cert.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
        try {
          cert.verify(ca.getPublicKey());
          return true;
        } catch (GeneralSecurityException | RuntimeException e) {
          return false;
        }
      }
    }
    return false;
  }

  private void checkIssuedHere(X509Certificate presented) {
    byte[] aki = KeyIds.authorityKeyIdOf(presented);
    if (aki != null) {
      for (X509Certificate ca : accepted.apply(issuer.certificate())) {
        if (Arrays.equals(aki, KeyIds.subjectKeyIdOf(ca))) {
          try {
            presented.verify(ca.getPublicKey());
            return;
          } catch (GeneralSecurityException e) {
            break;
          }
        }
      }
    }
    throw new CaException(Reason.FORBIDDEN, NOT_OURS);
  }

  /** Not revoked, within its validity, and still the CA's record (same key) for the name. */
  private void checkStillValid(String name, X509Certificate presented, Instant now) {
    if (trust.revoked(presented.getSerialNumber())) {
      LOG.warn("Renewal refused for {}: serial {} is revoked", name, presented.getSerialNumber());
      throw new CaException(Reason.BAD_REQUEST, NO_VALID_CERT);
    }
    if (now.isAfter(presented.getNotAfter().toInstant())
        || now.isBefore(presented.getNotBefore().toInstant())) {
      LOG.warn("Renewal refused for {}: the certificate is not within its validity", name);
      throw new CaException(Reason.BAD_REQUEST, NO_VALID_CERT);
    }
    Optional<StoredFile> record = store.records().certificate(name);
    X509Certificate current =
        record.map(f -> Certificates.readCertificates(f.text()).get(0)).orElse(null);
    if (current == null || !PublicKeys.same(current.getPublicKey(), presented.getPublicKey())) {
      LOG.warn(
          "Renewal refused for {}: the CA's record for the name holds another key, or none", name);
      throw new CaException(Reason.BAD_REQUEST, NO_VALID_CERT);
    }
  }
}
