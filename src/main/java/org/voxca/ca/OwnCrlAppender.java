package org.voxca.ca;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voxca.pki.Issuer;
import org.voxca.store.CaStore;

/**
 * Appends revocations to the CA's own CRL (the first of the chain) without re-reading it: the
 * entries of the last CRL written are kept as DER bytes, new entries are added after them and the
 * result is signed once ({@link org.voxca.pki.CrlAppender}). The CRL is re-read only when the file
 * changed under it. Not thread-safe: {@link Revoker} calls it under its CRL lock.
 */
final class OwnCrlAppender {
  private static final Logger LOG = LoggerFactory.getLogger(OwnCrlAppender.class);
  private final CaStore store;
  private final Issuer issuer;
  private final TrustState trust;
  private final Clock clock;

  OwnCrlAppender(CaStore store, Issuer issuer, TrustState trust, Clock clock) {
    this.store = store;
    this.issuer = issuer;
    this.trust = trust;
    this.clock = clock;
  }

  /**
   * The CA's own CRL as {@link org.voxca.pki.CrlAppender} needs it, re-read only when the file
   * changed: its entries in a buffer with room to grow (appending copies only the new entries),
   * its number, and the parent CRLs of the chain as PEM bytes.
   */
  private static final class OwnCrl {
    Instant mtime;
    BigInteger number;
    byte[] entries;
    int length;
    int count;
    byte[] parentsPem;

    void append(byte[] entry) {
      if (length + entry.length > entries.length) {
        entries = java.util.Arrays.copyOf(entries, Math.max(length + entry.length, entries.length + entries.length / 2 + 4096));
      }
      System.arraycopy(entry, 0, entries, length, entry.length);
      length += entry.length;
    }
  }

  private OwnCrl own;

  /** Reads the CRL ahead of the first append. */
  void prepare() {
    own = own();
  }

  private OwnCrl own() {
    Instant mtime = store.crlChainModified();
    if (own != null && own.mtime.equals(mtime)) {
      return own;
    }
    own = null;
    var file = store.crlChain();
    List<org.voxca.pki.CrlSummary> chain;
    try {
      chain = org.voxca.pki.CrlSummary.ofChain(file.bytes());
    } catch (org.voxca.pki.PkiException e) {
      throw new CaException(Reason.UNAVAILABLE, "The CA's CRL chain cannot be read: " + e.getMessage());
    }
    java.io.ByteArrayOutputStream parents = new java.io.ByteArrayOutputStream();
    for (org.voxca.pki.CrlSummary parent : chain.subList(1, chain.size())) {
      parents.writeBytes(org.voxca.pki.CrlAppender.pemBytes(parent.der(), new byte[0]));
    }
    OwnCrl o = new OwnCrl();
    o.mtime = file.modified();
    o.number = chain.get(0).number() == null ? BigInteger.ZERO : chain.get(0).number().max(BigInteger.ZERO);
    o.entries = chain.get(0).entries();
    o.length = o.entries.length;
    o.count = chain.get(0).serials().size();
    o.parentsPem = parents.toByteArray();
    return o;
  }

  /**
   * Appends the serials to the CA's own CRL without re-parsing its entries, writes the chain, and
   * publishes it at once (CRL served, revoked set for TLS and requests); listeners follow.
   */
  void append(Set<BigInteger> fresh) {
    long started = System.nanoTime();
    OwnCrl current = own();
    Instant now = clock.instant();
    int before = current.length;
    int countBefore = current.count;
    for (BigInteger s : fresh) {
      current.append(org.voxca.pki.CrlAppender.entry(s, now));
      current.count++;
    }
    BigInteger number = current.number.add(BigInteger.ONE);
    Instant thisUpdate = now.minus(CaBootstrap.CRL_BACKDATE);
    Instant nextUpdate = now.plus(CaBootstrap.CRL_LIFETIME);
    byte[] chainPem;
    try {
      chainPem = org.voxca.pki.CrlAppender.signPem(issuer, thisUpdate, nextUpdate, number,
          current.entries, current.length, current.parentsPem);
      store.replaceCrlChain(chainPem);
    } catch (RuntimeException e) {
      current.length = before; // nothing was written: forget the appended entries
      current.count = countBefore;
      throw e;
    }
    current.mtime = store.crlChainModified();
    current.number = number;
    own = current;
    trust.publishOwnCrl(chainPem, current.mtime, thisUpdate, nextUpdate, number, fresh);
    LOG.info("Revoked serial(s) {}; CRL number {} ({} entries, written in {} ms)", fresh, number,
        own.count, (System.nanoTime() - started) / 1_000_000);
  }
}
