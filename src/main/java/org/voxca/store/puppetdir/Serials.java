package org.voxca.store.puppetdir;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Serial allocation, one at a time: sequential from {@code $cadir/serial} (rewritten before the
 * serial is used, so a crash never reissues one), or random positive 128-bit serials checked
 * against every serial the inventory holds.
 */
final class Serials {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final SerialFile file;
  private final boolean random;
  private final Supplier<Set<BigInteger>> issued;
  private final ReentrantLock lock = new ReentrantLock();
  private Set<BigInteger> known;

  Serials(SerialFile file, boolean random, Supplier<Set<BigInteger>> issued) {
    this.file = file;
    this.random = random;
    this.issued = issued;
  }

  BigInteger allocate() {
    lock.lock();
    try {
      if (random) {
        return randomSerial();
      }
      BigInteger next = file.read();
      file.write(next.add(BigInteger.ONE));
      return next;
    } finally {
      lock.unlock();
    }
  }

  /** Writes the next sequential serial (a fresh CA). */
  void reset(BigInteger next) {
    lock.lock();
    try {
      file.write(next);
    } finally {
      lock.unlock();
    }
  }

  private BigInteger randomSerial() {
    if (known == null) {
      known = new HashSet<>(issued.get());
    }
    BigInteger s;
    do {
      s = new BigInteger(128, RANDOM).setBit(126);
    } while (known.contains(s));
    known.add(s);
    return s;
  }
}
