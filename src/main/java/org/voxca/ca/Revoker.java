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
  private final OwnCrlAppender ownCrl;

  Revoker(CaStore store, Issuer issuer, TrustState trust, Clock clock) {
    this.store = store;
    this.issuer = issuer;
    this.trust = trust;
    this.clock = clock;
    this.ownCrl = new OwnCrlAppender(store, issuer, trust, clock);
  }

  /**
   * Re-signs the CA's own CRL when its nextUpdate is within {@code window} (spec §8.4, and what
   * Puppet Server 7 never does): same entries, CRL Number + 1, fresh dates. True when re-signed.
   */
  boolean refreshIfExpiring(java.time.Duration window) {
    boolean changed;
    crlLock.lock();
    try {
      changed = resignIfExpiring(store.crlChain().bytes(), window, store::replaceCrlChain);
      var infra = store.infraCrlChain();
      if (infra.isPresent()) {
        changed |= resignIfExpiring(infra.get().bytes(), window, store::replaceInfraCrlChain);
      }
    } finally {
      crlLock.unlock();
    }
    if (changed) {
      trust.reload();
    }
    return changed;
  }

  private boolean resignIfExpiring(byte[] chainPem, java.time.Duration window, java.util.function.Consumer<byte[]> write) {
    Instant next = org.voxca.pki.CrlSummary.headersOfChain(chainPem).get(0).nextUpdate();
    Instant now = clock.instant();
    if (next != null && next.isAfter(now.plus(window))) {
      return false; // read without a full parse: the common case at every start
    }
    List<X509CRL> chain = Certificates.readCrls(new String(chainPem, StandardCharsets.US_ASCII));
    X509CRL own = chain.get(0);
    write.accept(resigned(chain, Map.of(), now));
    LOG.info("Re-signed a CRL whose nextUpdate was {}", own.getNextUpdate());
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

  /**
   * Revokes the serials not yet on the CA's CRL — and, for an infrastructure node, on the
   * infrastructure CRL too (spec §8.3). False when there was nothing to add.
   */
  boolean revoke(Set<BigInteger> serials, Set<BigInteger> infraSerials) {
    Set<BigInteger> fresh = new java.util.LinkedHashSet<>();
    crlLock.lock();
    try {
      for (BigInteger s : serials) {
        if (!trust.revoked(s)) {
          fresh.add(s);
        }
      }
      if (!fresh.isEmpty()) {
        ownCrl.append(fresh);
      }
      if (!infraSerials.isEmpty()) {
        store.infraCrlChain().ifPresent(f -> addToFirst(f.bytes(), infraSerials, store::replaceInfraCrlChain));
      }
    } finally {
      crlLock.unlock();
    }
    if (fresh.isEmpty()) {
      LOG.info("No revoke action needed. The certs are already in the CRL.");
      return false;
    }
    if (!infraSerials.isEmpty()) {
      trust.reload(); // the infrastructure CRL agents download must be current at once
    }
    return true;
  }

  /** Reads the CA's CRL for appending ahead of the first revocation (at start, in the background). */
  void prepare() {
    crlLock.lock();
    try {
      ownCrl.prepare();
    } finally {
      crlLock.unlock();
    }
  }

  /** Adds the serials to the first CRL of a chain, re-signed with the next CRL Number. */
  private boolean addToFirst(byte[] chainPem, Set<BigInteger> serials, java.util.function.Consumer<byte[]> write) {
    List<X509CRL> chain = Certificates.readCrls(new String(chainPem, StandardCharsets.US_ASCII));
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
      return false;
    }
    write.accept(resigned(chain, fresh, now));
    LOG.info("Revoked serial(s) {}", fresh.keySet());
    return true;
  }

  /** The chain with its first CRL re-signed: next CRL Number, fresh dates, plus {@code added}. */
  private byte[] resigned(List<X509CRL> chain, Map<BigInteger, Instant> added, Instant now) {
    X509CRL own = chain.get(0);
    BigInteger number = CrlBuilder.number(own).max(BigInteger.ZERO).add(BigInteger.ONE);
    X509CRL next = CrlBuilder.build(issuer, now.minus(CaBootstrap.CRL_BACKDATE),
        now.plus(CaBootstrap.CRL_LIFETIME), number, own, added);
    List<Object> out = new ArrayList<>(chain);
    out.set(0, next);
    return Pem.encode(out.toArray()).getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * {@code prune}: rewrites the CA's CRL without duplicate entries and, with
   * {@code removeExpired}, without serials whose certificate (per the inventory) has expired.
   * Returns how many entries were dropped.
   */
  int prune(boolean removeExpired) {
    int dropped;
    crlLock.lock();
    try {
      List<X509CRL> chain = Certificates.readCrls(new String(store.crlChain().bytes(), StandardCharsets.US_ASCII));
      X509CRL own = chain.get(0);
      Instant now = clock.instant();
      Map<BigInteger, java.time.Instant> expiry = removeExpired ? store.inventoryNotAfter() : Map.of();
      Map<BigInteger, Instant> keep = new LinkedHashMap<>();
      int total = 0;
      if (own.getRevokedCertificates() != null) {
        for (java.security.cert.X509CRLEntry e : own.getRevokedCertificates()) {
          total++;
          Instant notAfter = expiry.get(e.getSerialNumber());
          if (notAfter != null && notAfter.isBefore(now)) {
            continue;
          }
          keep.putIfAbsent(e.getSerialNumber(), e.getRevocationDate().toInstant());
        }
      }
      dropped = total - keep.size();
      if (dropped == 0) {
        return 0;
      }
      BigInteger number = CrlBuilder.number(own).max(BigInteger.ZERO).add(BigInteger.ONE);
      X509CRL next = CrlBuilder.build(issuer, now.minus(CaBootstrap.CRL_BACKDATE), now.plus(CaBootstrap.CRL_LIFETIME),
          number, null, keep);
      List<Object> out = new ArrayList<>(chain);
      out.set(0, next);
      store.replaceCrlChain(Pem.encode(out.toArray()).getBytes(StandardCharsets.US_ASCII));
    } finally {
      crlLock.unlock();
    }
    trust.reload();
    return dropped;
  }

  /** An empty CRL of this CA followed by the parents' CRLs: a new infrastructure CRL chain. */
  byte[] emptyChainLike(byte[] chainPem) {
    List<X509CRL> chain = Certificates.readCrls(new String(chainPem, StandardCharsets.US_ASCII));
    Instant now = clock.instant();
    List<Object> out = new ArrayList<>(chain);
    out.set(0, CrlBuilder.build(issuer, now.minus(CaBootstrap.CRL_BACKDATE), now.plus(CaBootstrap.CRL_LIFETIME),
        BigInteger.ZERO, Map.of()));
    return Pem.encode(out.toArray()).getBytes(StandardCharsets.US_ASCII);
  }
}
