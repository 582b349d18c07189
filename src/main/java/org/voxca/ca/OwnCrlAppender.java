package org.voxca.ca;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voxca.pki.CrlAppender;
import org.voxca.pki.CrlSummary;
import org.voxca.pki.Issuer;
import org.voxca.pki.PkiException;
import org.voxca.store.CaStore;

/**
 * Appends revocations to the CA's own CRL (the first of the chain) without re-reading it: the
 * entries of the last CRL written are kept as DER bytes, new entries are added after them and the
 * result is signed once ({@link CrlAppender}). The CRL is re-read only when the file changed under
 * it. Not thread-safe: {@link CrlWriter} calls it under its lock.
 */
final class OwnCrlAppender {
  private static final Logger LOG = LoggerFactory.getLogger(OwnCrlAppender.class);
  private final CaStore store;
  private final Issuer issuer;

  OwnCrlAppender(CaStore store, Issuer issuer) {
    this.store = store;
    this.issuer = issuer;
  }

  /**
   * The CA's own CRL as {@link CrlAppender} needs it, re-read only when the file changed: its
   * entries in a buffer with room to grow (appending copies only the new entries), its number, and
   * the parent CRLs of the chain as PEM bytes.
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
        entries =
            Arrays.copyOf(
                entries,
                Math.max(length + entry.length, entries.length + entries.length / 2 + 4096));
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
    Instant mtime = store.documents().crlChainModified();
    if (own != null && own.mtime.equals(mtime)) {
      return own;
    }
    own = null;
    var file = store.documents().crlChain();
    List<CrlSummary> chain;
    try {
      chain = CrlSummary.ofChain(file.bytes());
    } catch (PkiException e) {
      throw new CaException(
          Reason.UNAVAILABLE, "The CA's CRL chain cannot be read: " + e.getMessage());
    }
    ByteArrayOutputStream parents = new ByteArrayOutputStream();
    for (CrlSummary parent : chain.subList(1, chain.size())) {
      parents.writeBytes(CrlAppender.pemBytes(parent.der(), new byte[0]));
    }
    OwnCrl o = new OwnCrl();
    o.mtime = file.modified();
    o.number =
        chain.get(0).number() == null
            ? BigInteger.ZERO
            : chain.get(0).number().max(BigInteger.ZERO);
    o.entries = chain.get(0).entries();
    o.length = o.entries.length;
    o.count = chain.get(0).serials().size();
    o.parentsPem = parents.toByteArray();
    return o;
  }

  /**
   * Appends the serials, revoked at {@code now}, to the CA's own CRL without re-parsing its
   * entries, signs it with the given dates and writes the chain; the caller publishes it.
   */
  Appended append(Set<BigInteger> fresh, Instant now, Instant thisUpdate, Instant nextUpdate) {
    long started = System.nanoTime();
    OwnCrl current = own();
    int before = current.length;
    int countBefore = current.count;
    for (BigInteger s : fresh) {
      current.append(CrlAppender.entry(s, now));
      current.count++;
    }
    BigInteger number = current.number.add(BigInteger.ONE);
    byte[] chainPem;
    try {
      chainPem =
          CrlAppender.signPem(
              issuer,
              thisUpdate,
              nextUpdate,
              number,
              current.entries,
              current.length,
              current.parentsPem);
      store.documents().replaceCrlChain(chainPem);
    } catch (RuntimeException e) {
      current.length = before; // nothing was written: forget the appended entries
      current.count = countBefore;
      throw e;
    }
    current.mtime = store.documents().crlChainModified();
    current.number = number;
    own = current;
    LOG.info(
        "Revoked serial(s) {}; CRL number {} ({} entries, written in {} ms)",
        fresh,
        number,
        own.count,
        (System.nanoTime() - started) / 1_000_000);
    return new Appended(chainPem, current.mtime, number);
  }

  /** The chain just written: its bytes, modification time and the own CRL's new number. */
  record Appended(byte[] chainPem, Instant modified, BigInteger number) {}
}
