package org.voxca.store.puppetdir;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Optional;
import org.voxca.files.AtomicFiles;
import org.voxca.pki.Certificates;
import org.voxca.pki.PkiException;
import org.voxca.store.CertificateRecord;

/**
 * {@code signed/}: each name's current certificate file, written and deleted with the in-memory
 * index kept in step (a write in flight is announced first, so a rescan never mistakes it for an
 * outside change).
 */
final class SignedFiles {
  private final Path dir;
  private final SignedIndex index;

  SignedFiles(Path dir, SignedIndex index) {
    this.dir = dir;
    this.index = index;
  }

  /** The record of a name's certificate: from the index, or the file while the first scan runs. */
  Optional<CertificateRecord> record(String name) {
    if (index.ready()) {
      return Optional.ofNullable(index.peek(name));
    }
    return DirFiles.stored(DirFiles.entry(dir, name))
        .flatMap(
            f -> {
              try {
                return Optional.of(CertificateRecord.of(name, Certificates.firstDer(f.bytes())));
              } catch (PkiException e) {
                return Optional.empty();
              }
            });
  }

  void save(String name, X509Certificate cert, byte[] pem) {
    index.beginWrite();
    try {
      AtomicFiles.write(DirFiles.entry(dir, name), pem, AtomicFiles.PUBLIC);
    } catch (RuntimeException e) {
      index.abandonWrite();
      throw e;
    }
    index.put(name, cert);
  }

  boolean delete(String name) {
    index.beginWrite();
    boolean deleted = false;
    try {
      deleted = DirFiles.deleteSynced(DirFiles.entry(dir, name));
      return deleted;
    } finally {
      if (deleted) {
        index.remove(name);
      } else {
        index.abandonWrite();
      }
    }
  }
}
