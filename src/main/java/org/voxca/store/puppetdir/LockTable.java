package org.voxca.store.puppetdir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether any live process holds an OS lock on a file, from the kernel's table ({@code
 * /proc/locks}: one line per lock, its file as {@code major:minor:inode}). Conservative: a lock on
 * any file with the same inode number counts, and an unreadable table means held.
 */
final class LockTable {
  private static final Path TABLE = Path.of("/proc/locks");

  private LockTable() {}

  static boolean held(Path file) {
    try {
      return held(file, Files.readAllLines(TABLE));
    } catch (IOException | RuntimeException e) {
      return true;
    }
  }

  static boolean held(Path file, Iterable<String> table) throws IOException {
    long inode = ((Number) Files.getAttribute(file, "unix:ino")).longValue();
    for (String line : table) {
      for (String field : line.trim().split("\\s+")) {
        int last = field.lastIndexOf(':');
        if (last > 0 && field.indexOf(':') != last && field.substring(last + 1).matches("\\d+")) {
          if (Long.parseLong(field.substring(last + 1)) == inode) {
            return true;
          }
        }
      }
    }
    return false;
  }
}
