package org.voxca.store.puppetdir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.voxca.files.AtomicFiles;
import org.voxca.pki.Names;
import org.voxca.store.CertificateRecord;

/**
 * {@code inventory.txt} and its in-memory index together, under one lock: every append goes to the
 * file (fsynced) and then to the index, which is read from the file on first use.
 */
final class Inventory {
  private final Path path;
  private final InventoryFile file;
  private final Function<String, CertificateRecord> records;
  private final ReentrantLock lock = new ReentrantLock();
  private InventoryIndex index;

  Inventory(Path path, Function<String, CertificateRecord> records) {
    this.path = path;
    this.file = new InventoryFile(path);
    this.records = records;
  }

  /** Writes a new inventory holding {@code first}, or an empty one when it is null. */
  void create(X509Certificate first) {
    lock.lock();
    try {
      index = null;
      if (first != null) {
        file.create(first);
      } else {
        AtomicFiles.write(path, new byte[0], AtomicFiles.PUBLIC);
      }
    } finally {
      lock.unlock();
    }
  }

  void append(X509Certificate cert) {
    lock.lock();
    try {
      file.append(cert);
      if (index != null) {
        index.add(
            Names.inventorySubject(cert.getSubjectX500Principal()),
            cert.getSerialNumber(),
            cert.getNotAfter().getTime() / 1000);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Reads the index now rather than at the first lookup. */
  void load() {
    lock.lock();
    try {
      index();
    } finally {
      lock.unlock();
    }
  }

  Set<BigInteger> liveSerials(String name, Instant now) {
    lock.lock();
    try {
      return index().liveSerials("/CN=" + name, now);
    } finally {
      lock.unlock();
    }
  }

  boolean contains(BigInteger serial) {
    lock.lock();
    try {
      return index().contains(serial);
    } finally {
      lock.unlock();
    }
  }

  Map<BigInteger, Instant> notAfter() {
    lock.lock();
    try {
      return index().notAfter();
    } finally {
      lock.unlock();
    }
  }

  private InventoryIndex index() {
    if (index == null) {
      try {
        index =
            InventoryIndex.parse(
                Files.isRegularFile(path) ? Files.readAllBytes(path) : new byte[0], records);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + path, e);
      }
    }
    return index;
  }
}
