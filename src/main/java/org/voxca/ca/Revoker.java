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
