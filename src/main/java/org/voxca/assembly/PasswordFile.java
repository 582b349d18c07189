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
    return read(file, "database password file", TOO_OPEN);
  }

  /**
   * The CA key's passphrase in {@code file}: owner only, since it unlocks the CA (a WARN when its
   * group or others may read it).
   */
  static String passphrase(Path file) {
    Set<PosixFilePermission> open = EnumSet.copyOf(TOO_OPEN);
    open.add(PosixFilePermission.GROUP_READ);
    return read(file, "CA key passphrase file", open);
  }

  /** The PKCS#11 token's user PIN in {@code file}: owner only, as a passphrase file. */
  static String pin(Path file) {
    Set<PosixFilePermission> open = EnumSet.copyOf(TOO_OPEN);
    open.add(PosixFilePermission.GROUP_READ);
    return read(file, "PKCS#11 PIN file", open);
  }

  private static String read(Path file, String what, Set<PosixFilePermission> tooOpen) {
    if (file == null) {
      return null;
    }
    try {
      warnIfOpen(file, what, tooOpen);
      return Files.readString(file).strip();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the " + what + " " + file, e);
    }
  }

  private static void warnIfOpen(Path file, String what, Set<PosixFilePermission> tooOpen)
      throws IOException {
    Set<PosixFilePermission> p;
    try {
      p = Files.getPosixFilePermissions(file);
    } catch (UnsupportedOperationException e) {
      return;
    }
    Set<PosixFilePermission> open = EnumSet.copyOf(tooOpen);
    open.retainAll(p);
    if (!open.isEmpty()) {
      LOG.warn(
          "The {} {} is {}: others on this host may read or change the secret; chmod {}",
          what,
          file,
          java.nio.file.attribute.PosixFilePermissions.toString(p),
          tooOpen.contains(PosixFilePermission.GROUP_READ)
              ? "0600 (owner only)"
              : "0640 (owner and the voxca group) or 0600");
    }
  }
}
