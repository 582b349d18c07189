package org.voxca.store.puppetdir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.store.CaInUse;

/**
 * The CA directory's lock never strands the service: it is released on close, the kernel's lock
 * table tells a live holder from a stale file, and a lock taken as root belongs to the CA
 * directory's owner afterwards.
 */
class DirLockTest {
  @TempDir Path dir;

  @Test
  void theLockIsRefusedWhileHeldAndFreeOnceReleased() {
    DirLock first = DirLock.acquire(dir);
    assertThatThrownBy(() -> DirLock.acquire(dir)).isInstanceOf(CaInUse.class);
    first.close();
    DirLock.acquire(dir).close();
  }

  @Test
  void theKernelsTableTellsALiveHolderFromAStaleFile() throws Exception {
    Path file = Files.writeString(dir.resolve("probe.lock"), "");
    assertThat(LockTable.held(file)).isFalse();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE);
        FileLock held = ch.lock()) {
      assertThat(held.isValid()).isTrue();
      assertThat(LockTable.held(file)).isTrue();
    }
    assertThat(LockTable.held(file)).isFalse();
    long inode = ((Number) Files.getAttribute(file, "unix:ino")).longValue();
    assertThat(
            LockTable.held(file, List.of("1: POSIX  ADVISORY  WRITE 42 fe:01:" + inode + " 0 EOF")))
        .isTrue();
    assertThat(
            LockTable.held(
                file, List.of("1: FLOCK  ADVISORY  WRITE 42 fe:01:" + (inode + 1) + " 0 EOF")))
        .isFalse();
  }

  @Test
  void aLockTakenAsRootBelongsToTheDirectorysOwner() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "only root can hand a file over");
    Path cadir = Files.createDirectory(dir.resolve("ca"));
    UserPrincipal nobody =
        cadir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
    Files.setOwner(cadir, nobody);
    DirLock.acquire(cadir).close();
    PosixFileAttributes lock =
        Files.readAttributes(cadir.resolve(DirLock.FILE), PosixFileAttributes.class);
    assertThat(lock.owner()).isEqualTo(nobody);
    assertThat(PosixFilePermissions.toString(lock.permissions())).isEqualTo("rw-------");
    DirLock.acquire(cadir).close(); // and taken again
  }
}
