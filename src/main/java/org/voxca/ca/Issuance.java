package org.voxca.ca;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voxca.pki.CertBuilder;
import org.voxca.pki.Csr;
import org.voxca.pki.Issuer;
import org.voxca.pki.Pem;
import org.voxca.pki.San;
import org.voxca.store.CaStore;

/**
 * Issues certificates in Puppet's profile and records them: serial from the store, notBefore a day
 * back, notAfter clamped to the CA's own notAfter, signed file plus inventory line. Holds no lock
 * while the signature is computed; the store serialises only serial and inventory.
 */
final class Issuance {
  private static final Logger LOG = LoggerFactory.getLogger(Issuance.class);
  private static final Duration BACKDATE = Duration.ofDays(1);

  private final CaStore store;
  private final Supplier<Issuer> issuer;
  private final CaSettings settings;
  private final Clock clock;

  /** {@code issuer} is read at each use: the CA certificate may be extended while running. */
  Issuance(CaStore store, Supplier<Issuer> issuer, CaSettings settings, Clock clock) {
    this.store = store;
    this.issuer = issuer;
    this.settings = settings;
    this.clock = clock;
  }

  /** The TTL Puppet picks for a CSR: auto-renewal TTL when enabled and requested, else ca-ttl. */
  Duration ttlFor(Csr csr, Duration explicit) {
    if (settings.allowAutoRenewal() && csr.requestsAutoRenewal()) {
      return settings.autoRenewalCertTtl();
    }
    return explicit != null ? explicit : settings.caTtl();
  }

  /** Signs a CSR that already passed the policy, for {@code name}. */
  X509Certificate signCsr(String name, Csr csr, Duration ttl) {
    return issue(
        name,
        csr.publicKeyInfo(),
        San.withCertname(csr.subjectAltNames(), name),
        San.critical(csr),
        withOcspUrl(CsrPolicy.copied(csr)),
        false,
        ttl,
        Record.FROM_CSR);
  }

  /**
   * The CSR's extensions, plus an authorityInfoAccess naming the OCSP responder when {@code voxca {
   * ocsp-url }} is set.
   */
  private List<Extension> withOcspUrl(List<Extension> extras) {
    if (settings.ocspUrl() == null) {
      return extras;
    }
    List<Extension> out = new ArrayList<>(extras);
    out.add(CertBuilder.ocspAccess(settings.ocspUrl()));
    return out;
  }

  /** An admin (pp_cli_auth) certificate for {@code name}, its only alt name the name itself. */
  X509Certificate cliClient(String name, PublicKey key) {
    return issue(
        name,
        SubjectPublicKeyInfo.getInstance(key.getEncoded()),
        CertBuilder.serverAltNames(name, List.of(name)),
        false,
        List.of(),
        true,
        settings.caTtl(),
        Record.CURRENT);
  }

  /**
   * The server's own certificate: pp_cli_auth and the configured DNS alt names. The main one (RSA)
   * is the name's record in {@code signed/}; a second one beside it (ECDSA, for cheaper TLS
   * handshakes) is only added to the inventory.
   */
  X509Certificate server(PublicKey key, boolean main) {
    return issue(
        settings.certname(),
        SubjectPublicKeyInfo.getInstance(key.getEncoded()),
        CertBuilder.serverAltNames(settings.certname(), settings.dnsAltNames()),
        false,
        List.of(),
        true,
        settings.caTtl(),
        main ? Record.CURRENT : Record.INVENTORY_ONLY);
  }

  /** Renews {@code old} for {@code name} with {@code ttl} and records it. */
  X509Certificate renew(String name, X509Certificate old, Duration ttl) {
    Instant now = clock.instant();
    Instant notAfter = clamp(name, now.plus(ttl));
    requireUsable(now, notAfter, name);
    BigInteger serial = store.records().allocateSerial();
    X509Certificate cert =
        CertBuilder.renewal(issuer.get(), old, serial, now.minus(BACKDATE), notAfter);
    store
        .records()
        .saveCertificate(name, cert, Pem.encode(cert).getBytes(StandardCharsets.US_ASCII));
    LOG.info(
        "Renewed certificate for {}: serial {} replaces {}, valid until {}",
        name,
        serial,
        old.getSerialNumber(),
        notAfter);
    return cert;
  }

  /** Refuses (503) any issuance for {@code name} while the CA certificate cannot sign. */
  void requireCaUsable(String name) {
    requireUsable(clock.instant(), null, name);
  }

  private void requireUsable(Instant now, Instant notAfter, String name) {
    CaValidity.requireUsable(issuer.get().certificate(), now, notAfter, name);
    CaKeys.requireAvailable(settings.keys(), name);
  }

  /**
   * Refuses (400) an explicit lifetime that reaches past the CA certificate's notAfter: checked in
   * seconds, so no value overflows.
   */
  void requireWithinCaLife(String name, Duration ttl) {
    if (ttl == null) {
      return;
    }
    Instant caNotAfter = issuer.get().certificate().getNotAfter().toInstant();
    long left = caNotAfter.getEpochSecond() - clock.instant().getEpochSecond();
    if (ttl.getSeconds() > left) {
      throw new CaException(
          Reason.BAD_REQUEST,
          "cert_ttl specified for host "
              + name
              + " must be at most "
              + Math.max(left, 0)
              + " seconds: the CA certificate expires at "
              + caNotAfter);
    }
  }

  private Instant clamp(String name, Instant notAfter) {
    Instant caNotAfter = issuer.get().certificate().getNotAfter().toInstant();
    if (!notAfter.isAfter(caNotAfter)) {
      return notAfter;
    }
    if (notAfter.isAfter(caNotAfter.plus(BACKDATE))) {
      LOG.warn(
          "Certificate for {} would outlive the CA certificate; notAfter clamped to {}",
          name,
          caNotAfter);
    }
    return caNotAfter;
  }

  /** How an issued certificate is recorded. */
  private enum Record {
    /** The name's current certificate, its pending CSR consumed with it. */
    FROM_CSR,
    /** The name's current certificate. */
    CURRENT,
    /** An inventory line only (a second certificate beside the name's current one). */
    INVENTORY_ONLY
  }

  private X509Certificate issue(
      String name,
      SubjectPublicKeyInfo key,
      GeneralNames san,
      boolean sanCritical,
      List<Extension> extras,
      boolean cliAuth,
      Duration ttl,
      Record record) {
    Instant now = clock.instant();
    Instant notAfter = clamp(name, now.plus(ttl));
    requireUsable(now, notAfter, name);
    BigInteger serial = store.records().allocateSerial();
    X509Certificate cert =
        CertBuilder.leaf(
            issuer.get(),
            new CertBuilder.Leaf(
                name,
                key,
                serial,
                now.minus(BACKDATE),
                notAfter,
                san,
                sanCritical,
                extras,
                cliAuth));
    byte[] pem = Pem.encode(cert).getBytes(StandardCharsets.US_ASCII);
    switch (record) {
      case FROM_CSR -> store.records().saveCertificateFromCsr(name, cert, pem);
      case CURRENT -> store.records().saveCertificate(name, cert, pem);
      case INVENTORY_ONLY -> store.records().recordIssued(cert);
    }
    LOG.info("Entity CA signed 1 certificate: {}.", name);
    return cert;
  }
}
