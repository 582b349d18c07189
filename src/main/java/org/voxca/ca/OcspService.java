package org.voxca.ca;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.cert.CRLReason;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;
import org.voxca.pki.Certificates;
import org.voxca.pki.Issuer;
import org.voxca.pki.OcspResponder;
import org.voxca.pki.OcspResponder.Status;
import org.voxca.store.CaStore;

/**
 * OCSP answers from the CA's own state, so a revocation is visible at once: revoked (time and
 * reason from the CA's CRL entry), good (in the inventory), unknown (never issued here). Responses
 * are valid for {@link #VALIDITY}.
 */
final class OcspService {
  static final Duration VALIDITY = Duration.ofHours(1);
  private final CaStore store;
  private final Supplier<Issuer> issuer;
  private final TrustState trust;
  private final Clock clock;

  /** The CA's CRL parsed for entry dates, kept until the CRL changes. */
  private volatile Map.Entry<Document, X509CRL> parsed;

  OcspService(CaStore store, Supplier<Issuer> issuer, TrustState trust, Clock clock) {
    this.store = store;
    this.issuer = issuer;
    this.trust = trust;
    this.clock = clock;
  }

  byte[] respond(byte[] request) {
    Instant now = clock.instant();
    return OcspResponder.respond(request, issuer.get(), this::status, now, now.plus(VALIDITY));
  }

  private Status status(BigInteger serial) {
    if (trust.revoked(serial)) {
      X509CRLEntry e = entry(serial);
      if (e == null) {
        return new Status(Instant.EPOCH, null);
      }
      CRLReason r = e.getRevocationReason();
      return new Status(e.getRevocationDate().toInstant(), r == null ? null : r.ordinal());
    }
    return store.issued(serial) ? Status.GOOD : null;
  }

  private X509CRLEntry entry(BigInteger serial) {
    Document crl = trust.crl();
    Map.Entry<Document, X509CRL> p = parsed;
    if (p == null || p.getKey() != crl) {
      X509CRL own =
          Certificates.readCrls(new String(crl.bytes(), StandardCharsets.US_ASCII)).get(0);
      p = Map.entry(crl, own);
      parsed = p;
    }
    return p.getValue().getRevokedCertificate(serial);
  }
}
