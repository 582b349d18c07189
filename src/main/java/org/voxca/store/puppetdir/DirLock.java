package org.voxca.store.puppetdir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import org.voxca.store.CaInUse;

/**
 * An OS file lock on {@code $cadir/.voxca.lock}: one writer process per CA directory. The server
 * holds it while running; offline CLI verbs take the same lock and so refuse to run beside it.
 */
public final class DirLock implements AutoCloseable {
  public static final String FILE = ".voxca.lock";
  private static final boolean ROOT = "root".equals(System.getProperty("user.name"));
  private final FileChannel channel;
  private final FileLock lock;

  private DirLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock or fails with a message naming the directory. A lock file this user may not open
   * (left by a verb another user ran, say root) is taken over when no live process holds a lock on
   * it; one taken as root is handed to the CA directory's owner, so the service can take it next.
   */
  public static DirLock acquire(Path cadir) {
    FileChannel ch = null;
    Path file = cadir.resolve(FILE);
    try {
      ch = open(file, cadir);
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
      throw new UncheckedIOException("cannot lock " + cadir + " (" + file + ")", e);
    }
  }

  private static FileChannel open(Path file, Path cadir) throws IOException {
    FileChannel ch;
    try {
      ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (AccessDeniedException denied) {
      if (LockTable.held(file)) {
        throw inUse(cadir);
      }
      Files.delete(file); // another user's stale lock file: no live process holds it
      ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    }
    PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
    PosixFileAttributes dir = Files.readAttributes(cadir, PosixFileAttributes.class);
    if (ROOT && !view.getOwner().equals(dir.owner())) {
      view.setOwner(dir.owner());
      view.setGroup(dir.group());
    }
    if (view.getOwner().getName().equals(System.getProperty("user.name")) || ROOT) {
      view.setPermissions(PosixFilePermissions.fromString("rw-------"));
    }
    return ch;
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
