package org.voxca.store.puppetdir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.voxca.store.CaInUse;

/**
 * An OS file lock on {@code $cadir/.voxca.lock}: one writer process per CA directory. The server
 * holds it while running; offline CLI verbs take the same lock and so refuse to run beside it.
 */
public final class DirLock implements AutoCloseable {
  public static final String FILE = ".voxca.lock";
  private final FileChannel channel;
  private final FileLock lock;

  private DirLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Takes the lock or fails with a message naming the directory. */
  public static DirLock acquire(Path cadir) {
    FileChannel ch = null;
    try {
      Path file = cadir.resolve(FILE);
      ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      FileLock l = ch.tryLock();
      if (l == null) {
        ch.close();
        throw inUse(cadir);
      }
      return new DirLock(ch, l);
    } catch (OverlappingFileLockException e) {
      closeQuietly(ch);
      throw inUse(cadir);
    } catch (IOException e) {
      closeQuietly(ch);
      throw new UncheckedIOException("cannot lock " + cadir, e);
    }
  }

  private static void closeQuietly(FileChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // nothing to do
      }
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException ignored) {
      // released with the process anyway
    }
  }

  private static CaInUse inUse(Path cadir) {
    return new CaInUse(
        "the CA directory " + cadir + " is in use by another voxca process (lock " + FILE + ")");
  }
}
