package org.voxca.ca;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.voxca.pki.Certificates;
import org.voxca.pki.CrlBuilder;
import org.voxca.pki.Issuer;
import org.voxca.pki.Pem;
import org.voxca.store.CaStore;

/**
 * {@code prune} (the newest {@code puppetserver ca prune}): rewrites the CA's CRL without duplicate
 * entries, without entries whose certificate (per the inventory) has expired, and without the
 * serials an operator names; the CRL Number grows, the parents' CRLs stay as they are. A CRL
 * rewritten for any reason drops exact duplicates too: they carry nothing.
 */
final class CrlPruner {
  private final CaStore store;
  private final Issuer issuer;

  CrlPruner(CaStore store, Issuer issuer) {
    this.store = store;
    this.issuer = issuer;
  }

  /**
   * Call as the one CRL writer, at {@code now}; a rewritten CRL gets the dates given. The result's
   * counts say whether it was rewritten.
   */
  PruneResult prune(
      boolean duplicates,
      boolean expired,
      Set<BigInteger> remove,
      Instant now,
      Instant thisUpdate,
      Instant nextUpdate) {
    List<X509CRL> chain = Certificates.readCrls(store.documents().crlChain().bytes());
    X509CRL own = chain.get(0);
    Map<BigInteger, Instant> expiry = expired ? store.records().inventoryNotAfter() : Map.of();
    List<X509CRLEntry> entries =
        own.getRevokedCertificates() == null
            ? List.of()
            : new ArrayList<>(own.getRevokedCertificates());
    Map<BigInteger, Instant> keep = new LinkedHashMap<>();
    int dups = 0;
    int removed = 0;
    for (X509CRLEntry e : entries) {
      BigInteger s = e.getSerialNumber();
      Instant notAfter = expiry.get(s);
      if (remove.contains(s) || (notAfter != null && notAfter.isBefore(now))) {
        removed++;
      } else if (keep.containsKey(s)) {
        dups++; // a rewritten CRL never keeps a duplicate: it says nothing new
      } else {
        keep.put(s, e.getRevocationDate().toInstant());
      }
    }
    if ((dups == 0 || !duplicates) && removed == 0) {
      return new PruneResult(entries.size(), 0, 0);
    }
    BigInteger number = CrlBuilder.number(own).max(BigInteger.ZERO).add(BigInteger.ONE);
    X509CRL next = CrlBuilder.build(issuer, thisUpdate, nextUpdate, number, null, keep);
    List<Object> out = new ArrayList<>(chain);
    out.set(0, next);
    store
        .documents()
        .replaceCrlChain(Pem.encode(out.toArray()).getBytes(StandardCharsets.US_ASCII));
    return new PruneResult(entries.size(), dups, removed);
  }
}
