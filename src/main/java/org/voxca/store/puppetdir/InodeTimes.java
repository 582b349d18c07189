package org.voxca.store.puppetdir;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;

/**
 * The change times the signed index trusts: a file's or directory's inode change time (ctime),
 * which no copy, restore or {@code touch} can set back, where the file system has one (Unix); its
 * modification time elsewhere.
 */
final class InodeTimes {
  /** True where the file system reports inode change times. */
  static final boolean UNIX =
      FileSystems.getDefault().supportedFileAttributeViews().contains("unix");

  private InodeTimes() {}

  /** The file's ctime in millis (its mtime without one); Long.MAX_VALUE when unreadable. */
  static long ctimeMillis(Path p) {
    try {
      if (UNIX) {
        return ((FileTime) Files.getAttribute(p, "unix:ctime")).toMillis();
      }
      return Files.getLastModifiedTime(p).toMillis();
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return Long.MAX_VALUE;
    }
  }

  /**
   * The directory's change time: its ctime where there is one, else its mtime; the epoch when
   * unreadable. Any file added, removed or renamed in it moves it.
   */
  static FileTime changeTime(Path dir) {
    try {
      if (UNIX) {
        return (FileTime) Files.getAttribute(dir, "unix:ctime");
      }
      return Files.getLastModifiedTime(dir);
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return FileTime.fromMillis(0);
    }
  }

  /** The directory's ctime in nanoseconds, or 0 where there is none (no change marker then). */
  static long changeNanos(Path dir) {
    return UNIX ? changeTime(dir).to(TimeUnit.NANOSECONDS) : 0;
  }
}
