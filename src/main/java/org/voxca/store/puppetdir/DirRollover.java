package org.voxca.store.puppetdir;

import java.nio.file.Files;
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
    String key =
        Files.isRegularFile(paths.nextKey())
            ? keys.open(DirFiles.read(paths.nextKey()), paths.nextKey().toString())
            : null;
    return Optional.of(NextGeneration.parse(cert, key, stage.get().text()));
  }

  void save(NextGeneration next) {
    AtomicFiles.directory(paths.rolloverDir(), "rwxr-x---");
    String kept = TokenReference.is(next.keyPem()) ? next.keyPem() : keys.seal(next.keyPem());
    AtomicFiles.write(paths.nextKey(), DirFiles.utf8(kept), AtomicFiles.PRIVATE);
    AtomicFiles.write(paths.nextCert(), DirFiles.utf8(next.certificatePem()), AtomicFiles.PUBLIC);
    AtomicFiles.write(paths.rolloverStage(), DirFiles.utf8(next.stageLine()), AtomicFiles.PUBLIC);
  }

  List<String> drop() {
    List<String> left = new ArrayList<>();
    if (Files.isRegularFile(paths.nextKey())) {
      String kept = DirFiles.read(paths.nextKey());
      if (TokenReference.is(kept)) {
        left.add("token object '" + TokenReference.label(kept) + "'");
      }
    }
    DirFiles.deleteSynced(paths.rolloverStage());
    DirFiles.deleteSynced(paths.nextCert());
    DirFiles.deleteSynced(paths.nextKey());
    return left;
  }

  /** Re-seals the next key under {@code next} protection, when there is one (not a token's). */
  void rewriteKey(KeyProtection next) {
    if (!Files.isRegularFile(paths.nextKey())) {
      return;
    }
    String stored = DirFiles.read(paths.nextKey());
    if (TokenReference.is(stored)) {
      return;
    }
    String plain = keys.open(stored, paths.nextKey().toString());
    AtomicFiles.write(paths.nextKey(), DirFiles.utf8(next.seal(plain)), AtomicFiles.PRIVATE);
  }
}
