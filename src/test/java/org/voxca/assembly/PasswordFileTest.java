package org.voxca.assembly;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.testing.LogCapture;

/** The database password file: read, and a WARN (never the secret) when others may read it. */
class PasswordFileTest {
  @TempDir Path dir;

  private Path file(String perms) throws Exception {
    Path f = dir.resolve("pw-" + perms);
    Files.writeString(f, "s3cret-value\n");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(perms));
    return f;
  }

  @Test
  void aFileOnlyItsOwnerAndGroupReadIsReadSilently() throws Exception {
    try (LogCapture log = new LogCapture()) {
      assertThat(PasswordFile.read(file("rw-r-----"))).isEqualTo("s3cret-value");
      assertThat(PasswordFile.read(null)).isNull();
      assertThat(log.events()).noneMatch(e -> e.getLevel() == Level.WARN);
    }
  }

  @Test
  void aWorldReadableFileIsUsedWithAWarnThatNeverHoldsTheSecret() throws Exception {
    Path open = file("rw-r--r--");
    try (LogCapture log = new LogCapture()) {
      assertThat(PasswordFile.read(open)).isEqualTo("s3cret-value");
      assertThat(log.events())
          .anySatisfy(
              e -> {
                assertThat(e.getLevel()).isEqualTo(Level.WARN);
                assertThat(e.getFormattedMessage())
                    .contains(open.toString(), "rw-r--r--", "chmod 0640")
                    .doesNotContain("s3cret");
              });
    }
  }

  @Test
  void theCaKeysPassphraseIsForItsOwnerOnly() throws Exception {
    try (LogCapture log = new LogCapture()) {
      assertThat(PasswordFile.passphrase(file("rw-------"))).isEqualTo("s3cret-value");
      assertThat(log.events()).noneMatch(e -> e.getLevel() == Level.WARN);
    }
    Path group = file("rw-r-----");
    try (LogCapture log = new LogCapture()) {
      assertThat(PasswordFile.passphrase(group)).isEqualTo("s3cret-value");
      assertThat(log.events())
          .anySatisfy(
              e ->
                  assertThat(e.getFormattedMessage())
                      .contains("CA key passphrase file", group.toString(), "chmod 0600")
                      .doesNotContain("s3cret"));
    }
  }
}
