package org.voxca.store.puppetdir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.voxca.files.AtomicFiles;
import org.voxca.pki.TokenReference;
import org.voxca.store.KeyProtection;
import org.voxca.store.NextGeneration;
import org.voxca.store.StoredFile;

/**
 * A rollover's next generation in the CA directory, under {@code rollover/}: the key (sealed as the
 * CA key is), the certificate, and the stage file that commits them. Puppet Server ignores the
 * directory.
 */
final class DirRollover {
  private final CaPaths paths;
  private final KeyProtection keys;

  DirRollover(CaPaths paths, KeyProtection keys) {
    this.paths = paths;
    this.keys = keys;
  }

  Optional<NextGeneration> read() {
    Optional<StoredFile> stage = DirFiles.stored(paths.rolloverStage());
    if (stage.isEmpty()) {
      return Optional.empty();
    }
    String cert = DirFiles.read(paths.nextCert());
    return Optional.of(
        NextGeneration.parse(
            cert, key(paths.nextKey()), stage.get().text(), key(paths.nextRootKey())));
  }

  /** The keys first, then the certificate, then the stage file that commits them. */
  void save(NextGeneration next) {
    AtomicFiles.directory(paths.rolloverDir(), "rwxr-x---");
    write(paths.nextKey(), next.keyPem());
    if (next.rootKeyPem() != null) {
      write(paths.nextRootKey(), next.rootKeyPem());
    }
    AtomicFiles.write(paths.nextCert(), DirFiles.utf8(next.certificatePem()), AtomicFiles.PUBLIC);
    AtomicFiles.write(paths.rolloverStage(), DirFiles.utf8(next.stageLine()), AtomicFiles.PUBLIC);
  }

  List<String> drop() {
    List<String> left = new ArrayList<>();
    for (Path key : List.of(paths.nextKey(), paths.nextRootKey())) {
      if (Files.isRegularFile(key)) {
        String kept = DirFiles.read(key);
        if (TokenReference.is(kept)) {
          left.add("token object '" + TokenReference.label(kept) + "'");
        }
      }
    }
    DirFiles.deleteSynced(paths.rolloverStage());
    DirFiles.deleteSynced(paths.nextCert());
    DirFiles.deleteSynced(paths.nextKey());
    DirFiles.deleteSynced(paths.nextRootKey());
    return left;
  }

  /** Re-seals the next keys under {@code next} protection, when there are (not a token's). */
  void rewriteKey(KeyProtection next) {
    for (Path key : List.of(paths.nextKey(), paths.nextRootKey())) {
      if (Files.isRegularFile(key)) {
        String stored = DirFiles.read(key);
        if (!TokenReference.is(stored)) {
          String plain = keys.open(stored, key.toString());
          AtomicFiles.write(key, DirFiles.utf8(next.seal(plain)), AtomicFiles.PRIVATE);
        }
      }
    }
  }

  /** The next root's key, when the root rolls too and this directory holds it. */
  Optional<String> rootKey() {
    return Optional.ofNullable(key(paths.nextRootKey()));
  }

  private String key(Path file) {
    return Files.isRegularFile(file) ? keys.open(DirFiles.read(file), file.toString()) : null;
  }

  private void write(Path file, String pem) {
    String kept = TokenReference.is(pem) ? pem : keys.seal(pem);
    AtomicFiles.write(file, DirFiles.utf8(kept), AtomicFiles.PRIVATE);
  }
}
