package org.voxca.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Crash-safe file replacement: a temp file in the same directory, created with its final
 * permissions before any byte is written, fsynced, renamed over the target, then the directory
 * fsynced. A reader sees the old file or the new one, never a mix.
 */
public final class AtomicFiles {
  public static final String TEMP_SUFFIX = ".voxca-tmp";

  /**
   * Names this process's temp files: a temp file without it was left by another process, which the
   * directory lock says is gone, so it is stale whatever its age.
   */
  public static final String PROCESS = Long.toHexString(new SecureRandom().nextLong() >>> 1);

  /** True for a temp file this process did not create (a crash's leftover). */
  public static boolean staleTemp(String fileName) {
    return fileName.endsWith(TEMP_SUFFIX) && !fileName.contains("." + PROCESS + "-");
  }

  public static final Set<PosixFilePermission> PUBLIC =
      PosixFilePermissions.fromString("rw-r--r--");
  public static final Set<PosixFilePermission> PRIVATE =
      PosixFilePermissions.fromString("rw-r-----");
  public static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private AtomicFiles() {}

  public static void write(Path target, byte[] bytes, Set<PosixFilePermission> perms) {
    write(target, perms, out -> out.write(bytes));
  }

  /** What a streamed write puts in the file. */
  @FunctionalInterface
  public interface Body {
    void writeTo(java.io.OutputStream out) throws IOException;
  }

  /**
   * As {@link #write(Path, byte[], Set)}, the content streamed by {@code body} (a large file is
   * never whole in memory): a temp file beside the target, forced to disk, renamed over it.
   */
  public static void write(Path target, Set<PosixFilePermission> perms, Body body) {
    Path dir = target.toAbsolutePath().getParent();
    Path tmp = null;
    try {
      if (!Files.isDirectory(dir)) {
        directory(dir, ANCESTOR);
      }
      tmp = createTemp(dir, target.getFileName().toString(), perms);
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        java.io.OutputStream out =
            new java.io.BufferedOutputStream(
                java.nio.channels.Channels.newOutputStream(ch), 1 << 16);
        body.writeTo(out);
        out.flush();
        ch.force(true);
      }
      try {
        Files.move(
            tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      tmp = null;
      fsyncDirectory(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target, e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // best effort: the start-up check removes stray temp files
        }
      }
    }
  }

  private static Path createTemp(Path dir, String name, Set<PosixFilePermission> perms)
      throws IOException {
    for (int i = 0; i < 100; i++) {
      Path p =
          dir.resolve(
              "."
                  + name
                  + "."
                  + PROCESS
                  + "-"
                  + Long.toHexString(ThreadLocalRandom.current().nextLong())
                  + TEMP_SUFFIX);
      try {
        Files.createFile(p, PosixFilePermissions.asFileAttribute(perms));
        Files.setPosixFilePermissions(p, perms); // the umask may have narrowed them; no byte yet
        return p;
      } catch (FileAlreadyExistsException e) {
        // try another name
      }
    }
    throw new IOException("cannot create a temp file in " + dir);
  }

  /** Makes a rename or a delete in {@code dir} durable. */
  public static void fsyncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException ignored) {
      // some file systems refuse to open directories; the data itself is already synced
    }
  }

  /** Creates a directory (and parents) with the given permissions when it does not exist. */
  /** Mode of directories voxca creates above the ones Puppet's layout names. */
  static final String ANCESTOR = "rwxr-x---";

  /**
   * Creates {@code dir} with mode {@code perms} (missing parents 0750), set explicitly so the
   * process umask never widens it.
   */
  public static void directory(Path dir, String perms) {
    try {
      if (!Files.isDirectory(dir)) {
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
          directory(parent, ANCESTOR); // whatever the umask: never world-writable
        }
        try {
          Files.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
          return; // created meanwhile by another thread or process
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(perms));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create directory " + dir, e);
    }
  }

  /**
   * A log file voxca appends to: its directory made 0750 and the file created 0640 when missing,
   * whatever the umask (logs name clients and serials, nothing for other users).
   */
  public static void logFile(Path file) {
    directory(file.toAbsolutePath().getParent(), "rwxr-x---");
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PRIVATE));
    } catch (FileAlreadyExistsException e) {
      // kept as it is: the operator may have chosen other modes
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + file, e);
    }
  }
}
