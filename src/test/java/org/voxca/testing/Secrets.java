package org.voxca.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Passphrase files as an operator writes them: one line, readable by the owner only. */
public final class Secrets {
  private Secrets() {}

  /** Writes {@code secret} and a newline to {@code file}, mode 0600; returns {@code file}. */
  public static Path passphraseFile(Path file, String secret) throws IOException {
    Files.writeString(file, secret + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }
}
