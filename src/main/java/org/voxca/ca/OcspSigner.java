package org.voxca.ca;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voxca.pki.Issuer;
import org.voxca.pki.Keys;
import org.voxca.pki.OcspResponder.Signer;
import org.voxca.pki.OcspSignerCert;
import org.voxca.pki.Pem;
import org.voxca.store.CaStore;

/**
 * The delegated OCSP responder: an EC P-256 key made in memory (never written anywhere) and a
 * certificate for it, issued by the CA for {@link #LIFE} (never past the CA's own notAfter) and
 * recorded in the inventory. It is issued again when less than half its life remains or when the CA
 * certificate changed, so the CA key signs once every day and a half, not once per response. Each
 * process (each replica) has its own. With delegation off, the CA signs every response.
 */
final class OcspSigner {
  static final Duration LIFE = Duration.ofDays(3);
  private static final Logger LOG = LoggerFactory.getLogger(OcspSigner.class);
  private final CaStore store;
  private final Supplier<Issuer> issuer;
  private final String name;
  private final boolean delegated;
  private final Clock clock;
  private Issued current;

  private record Issued(Issuer under, Signer signer, Instant renewAt) {}

  OcspSigner(CaStore store, Supplier<Issuer> issuer, CaSettings settings, Clock clock) {
    this.store = store;
    this.issuer = issuer;
    this.name = settings.caName() + " OCSP responder";
    this.delegated = settings.delegatedOcsp();
    this.clock = clock;
  }

  /**
   * Who signs a response made now: the CA, or the delegated responder, issued first when due. A
   * store that cannot record the issue throws (the caller answers tryLater).
   */
  synchronized Signer current() {
    Issuer ca = issuer.get();
    if (!delegated) {
      return Signer.ca(ca);
    }
    Instant now = clock.instant();
    if (current == null || current.under() != ca || !now.isBefore(current.renewAt())) {
      current = issue(ca, now);
    }
    return current.signer();
  }

  private Issued issue(Issuer ca, Instant now) {
    Instant notBefore = now.minus(Duration.ofMinutes(5));
    Instant caEnd = ca.certificate().getNotAfter().toInstant();
    Instant notAfter = now.plus(LIFE).isAfter(caEnd) ? caEnd : now.plus(LIFE);
    if (!notAfter.isAfter(now)) {
      throw new CaException(Reason.CA_UNUSABLE, "the CA certificate has expired");
    }
    KeyPair key = Keys.ec("secp256r1");
    X509Certificate cert =
        OcspSignerCert.issue(
            ca, name, key.getPublic(), store.records().allocateSerial(), notBefore, notAfter);
    store.records().recordIssued(cert);
    Instant renewAt = now.plus(Duration.between(now, notAfter).dividedBy(2));
    LOG.info(
        "Issued the OCSP responder certificate, serial {}, valid until {}",
        cert.getSerialNumber(),
        notAfter);
    LOG.debug("OCSP responder certificate:\n{}", Pem.encode(cert));
    return new Issued(ca, new Signer(cert, key.getPrivate(), true), renewAt);
  }
}
