package org.voxca.ca;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voxca.pki.Certificates;
import org.voxca.pki.CrlBuilder;
import org.voxca.pki.Issuer;
import org.voxca.pki.Pem;
import org.voxca.store.CaStore;

/**
 * Revocation (spec §8.2): adds serials to the CA's own CRL — the first in the chain — with a
 * new CRL Number, thisUpdate backdated for slow clocks and a five-year nextUpdate, keeping the
 * rest of the chain as it is. One writer at a time.
 */
final class Revoker {
  private static final Logger LOG = LoggerFactory.getLogger(Revoker.class);
  private final CaStore store;
  private final Issuer issuer;
  private final TrustState trust;
  private final Clock clock;
  private final ReentrantLock crlLock = new ReentrantLock();

  Revoker(CaStore store, Issuer issuer, TrustState trust, Clock clock) {
    this.store = store;
    this.issuer = issuer;
    this.trust = trust;
    this.clock = clock;
  }

  /**
   * Re-signs the CA's own CRL when its nextUpdate is within {@code window} (spec §8.4, and what
   * Puppet Server 7 never does): same entries, CRL Number + 1, fresh dates. True when re-signed.
   */
  boolean refreshIfExpiring(java.time.Duration window) {
    crlLock.lock();
    try {
      List<X509CRL> chain = Certificates.readCrls(new String(store.crlChain().bytes(), StandardCharsets.US_ASCII));
      if (chain.isEmpty()) {
        return false;
      }
      X509CRL own = chain.get(0);
      Instant now = clock.instant();
      if (own.getNextUpdate() != null && own.getNextUpdate().toInstant().isAfter(now.plus(window))) {
        return false;
      }
      BigInteger number = CrlBuilder.number(own).max(BigInteger.ZERO).add(BigInteger.ONE);
      X509CRL next = CrlBuilder.build(issuer, now.minus(CaBootstrap.CRL_BACKDATE),
          now.plus(CaBootstrap.CRL_LIFETIME), number, own, Map.of());
      List<Object> out = new ArrayList<>(chain);
      out.set(0, next);
      store.replaceCrlChain(Pem.encode(out.toArray()).getBytes(StandardCharsets.US_ASCII));
      LOG.info("Re-signed the CA's CRL (nextUpdate was {}); CRL number {}", own.getNextUpdate(), number);
    } finally {
      crlLock.unlock();
    }
    trust.reload();
    return true;
  }

  /**
   * {@code PUT certificate_revocation_list} (spec §2.3): replaces the CRLs of the parent CAs by
   * newer ones with the same AKI; the CA's own CRL is never replaced. The result must validate.
   */
  void updateUpstream(List<X509CRL> incoming) {
    if (incoming.isEmpty()) {
      throw new CaException(Reason.BAD_REQUEST, "No valid CRLs submitted.");
    }
    for (X509CRL c : incoming) {
      if (c.getExtensionValue(org.bouncycastle.asn1.x509.Extension.authorityKeyIdentifier.getId()) == null) {
        throw new CaException(Reason.BAD_REQUEST, "One or more submitted CRLs do not have an authority key identifier.");
      }
      if (c.getExtensionValue(org.bouncycastle.asn1.x509.Extension.deltaCRLIndicator.getId()) != null) {
        throw new CaException(Reason.BAD_REQUEST, "Cannot support delta CRL.");
      }
    }
    crlLock.lock();
    try {
      List<X509CRL> chain = Certificates.readCrls(new String(store.crlChain().bytes(), StandardCharsets.US_ASCII));
      byte[] ownKeyId = org.voxca.pki.CertBuilder.subjectKeyIdOf(issuer.bundle().get(0));
      List<X509CRL> next = new ArrayList<>();
      boolean changed = false;
      for (X509CRL current : chain) {
        byte[] aki = current.getExtensionValue(org.bouncycastle.asn1.x509.Extension.authorityKeyIdentifier.getId());
        if (aki == null || java.util.Arrays.equals(keyId(aki), ownKeyId)) {
          next.add(current);
          continue;
        }
        X509CRL best = current;
        boolean tie = false;
        for (X509CRL c : incoming) {
          if (!java.util.Arrays.equals(aki, c.getExtensionValue(org.bouncycastle.asn1.x509.Extension.authorityKeyIdentifier.getId()))) {
            continue;
          }
          int cmp = CrlBuilder.number(c).compareTo(CrlBuilder.number(best));
          if (cmp > 0) {
            best = c;
            tie = false;
          } else if (cmp == 0 && best != current && !c.equals(best)) {
            tie = true;
          }
        }
        if (tie) {
          throw new CaException(Reason.BAD_REQUEST, "Could not determine newest CRL.");
        }
        changed |= best != current;
        next.add(best);
      }
      if (!changed) {
        LOG.warn("No submitted CRL is newer than the CRL chain's; nothing updated");
        return;
      }
      try {
        org.voxca.pki.ChainValidator.validate(issuer.bundle(), next, java.util.Date.from(clock.instant()));
      } catch (org.voxca.pki.PkiException e) {
        throw new CaException(Reason.BAD_REQUEST, "Invalid certs and/or CRLs: " + e.getMessage());
      }
      store.replaceCrlChain(Pem.encode(next.toArray()).getBytes(StandardCharsets.US_ASCII));
      LOG.info("Updated the parent CAs' CRLs in the CRL chain");
    } finally {
      crlLock.unlock();
    }
    trust.reload();
  }

  private static byte[] keyId(byte[] akiExtension) {
    return org.bouncycastle.asn1.x509.AuthorityKeyIdentifier.getInstance(
        org.bouncycastle.asn1.ASN1OctetString.getInstance(akiExtension).getOctets()).getKeyIdentifier();
  }

  /** Revokes the serials not yet on the CRL; false when there was nothing to add. */
  boolean revoke(Set<BigInteger> serials) {
    crlLock.lock();
    try {
      List<X509CRL> chain = Certificates.readCrls(new String(store.crlChain().bytes(), StandardCharsets.US_ASCII));
      if (chain.isEmpty()) {
        throw new CaException(Reason.UNAVAILABLE, "The CA's CRL chain is empty");
      }
      X509CRL own = chain.get(0);
      Instant now = clock.instant();
      Map<BigInteger, Instant> fresh = new LinkedHashMap<>();
      for (BigInteger s : serials) {
        if (own.getRevokedCertificate(s) == null) {
          fresh.put(s, now);
        }
      }
      if (fresh.isEmpty()) {
        LOG.info("No revoke action needed. The certs are already in the CRL.");
        return false;
      }
      BigInteger number = CrlBuilder.number(own).max(BigInteger.ZERO).add(BigInteger.ONE);
      X509CRL next = CrlBuilder.build(issuer, now.minus(CaBootstrap.CRL_BACKDATE),
          now.plus(CaBootstrap.CRL_LIFETIME), number, own, fresh);
      List<Object> out = new ArrayList<>(chain);
      out.set(0, next);
      store.replaceCrlChain(Pem.encode(out.toArray()).getBytes(StandardCharsets.US_ASCII));
      LOG.info("Revoked serial(s) {}; CRL number {}", fresh.keySet(), number);
    } finally {
      crlLock.unlock();
    }
    trust.reload();
    return true;
  }
}
