package org.voxca.assembly;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database password file ({@code voxca { store { password-file } }}): its first line, trimmed.
 * A file others than its owner (and group) may read holds a secret anyone on the host can take: it
 * is used, with a WARN naming the file and the fix, never the secret.
 */
final class PasswordFile {
  private static final Logger LOG = LoggerFactory.getLogger(PasswordFile.class);
  private static final Set<PosixFilePermission> TOO_OPEN =
      EnumSet.of(
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE,
          PosixFilePermission.GROUP_WRITE);

  private PasswordFile() {}

  /** The password in {@code file}; null for no file (the driver's own means: .pgpass, trust). */
  static String read(Path file) {
    if (file == null) {
      return null;
    }
    try {
      warnIfOpen(file);
      return Files.readString(file).strip();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the database password file " + file, e);
    }
  }

  private static void warnIfOpen(Path file) throws IOException {
    Set<PosixFilePermission> p;
    try {
      p = Files.getPosixFilePermissions(file);
    } catch (UnsupportedOperationException e) {
      return;
    }
    Set<PosixFilePermission> open = EnumSet.copyOf(TOO_OPEN);
    open.retainAll(p);
    if (!open.isEmpty()) {
      LOG.warn(
          "The database password file {} is {}: anyone on this host may read or change the"
              + " password; chmod 0640 (owner and the voxca group) or 0600",
          file,
          java.nio.file.attribute.PosixFilePermissions.toString(p));
    }
  }
}
