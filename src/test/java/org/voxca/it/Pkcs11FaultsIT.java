package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.testing.LogCapture;
import org.voxca.testing.SoftHsm;
import org.voxca.testing.TestServer;

/**
 * A PKCS#11 CA key that cannot be used refuses to start with the reason, and changes nothing: a
 * wrong PIN, a missing module, a token or key label that is not there, a file key where a token key
 * is configured and the other way round. A PIN file others may read is used, with a WARN.
 */
class Pkcs11FaultsIT {
  @TempDir static Path dir;
  static SoftHsm.Token token;
  static SoftHsm.Token empty;
  static Path cadir;
  static Path root;

  @BeforeAll
  static void ca() throws Exception {
    token = SoftHsm.create("faults", dir);
    empty = SoftHsm.create("empty", dir);
    root = dir.resolve("ca");
    try (TestServer s = start(root, token.hocon("faults-ca", "5s"))) {
      cadir = s.cadir();
    }
  }

  private static TestServer start(Path root, String hocon) throws Exception {
    return TestServer.builder(root).autosign("true").setting("key_type", "ec").hocon(hocon).start();
  }

  /** Every file under {@code d} with its content, to show a refusal wrote nothing. */
  static Map<String, String> snapshot(Path d) throws Exception {
    Map<String, String> all = new TreeMap<>();
    if (!Files.exists(d)) {
      return all;
    }
    try (Stream<Path> files = Files.walk(d)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        if (!f.getFileName().toString().endsWith(".lock")) {
          all.put(
              d.relativize(f).toString(),
              Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1));
        }
      }
    }
    return all;
  }

  private static String with(SoftHsm.Token t, String key, String value) {
    return t.hocon("faults-ca", "5s") + "voxca.ca-key." + key + ": \"" + value + "\"\n";
  }

  private static void refused(String hocon, String reason) throws Exception {
    Map<String, String> before = snapshot(cadir);
    Throwable thrown = null;
    try (TestServer started = start(root, hocon)) {
      assertThat(started).as("refused to start").isNull();
    } catch (Exception e) {
      thrown = e;
    }
    assertThat(thrown).isNotNull().hasMessageContaining(reason);
    assertThat(snapshot(cadir)).as("nothing written").isEqualTo(before);
  }

  @Test
  void aWrongPinRefusesWithTheReason() throws Exception {
    Path wrong = dir.resolve("wrong.pin");
    Files.writeString(wrong, "000000\n");
    Files.setPosixFilePermissions(wrong, PosixFilePermissions.fromString("rw-------"));
    refused(with(token, "pin-file", wrong.toString()), "wrong PIN for token '" + token.label());
  }

  @Test
  void aMissingModuleOrTokenRefusesWithTheReason() throws Exception {
    refused(
        with(token, "library", "/usr/lib/softhsm/libnothere.so"),
        "the PKCS#11 library /usr/lib/softhsm/libnothere.so does not exist");
    refused(
        with(token, "token-label", "no-such-token"), "no PKCS#11 token labelled 'no-such-token'");
  }

  @Test
  void aKeyLabelThatIsNotThereRefusesWithTheReason() throws Exception {
    refused(
        empty.hocon("faults-ca", "5s"), "no key labelled 'faults-ca' in token '" + empty.label());
  }

  @Test
  void aFileKeyUnderATokenAndATokenKeyUnderFilesAreRefused() throws Exception {
    refused("", "key lives in a PKCS#11 token (faults-ca)");
    Path fileRoot = dir.resolve("file-ca");
    Path fileCadir;
    try (TestServer s = start(fileRoot, "")) {
      fileCadir = s.cadir();
    }
    Map<String, String> before = snapshot(fileCadir);
    assertThatThrownBy(() -> start(fileRoot, token.hocon("other", "5s")))
        .hasMessageContaining("is a file, but voxca.ca-key.type is pkcs11")
        .hasMessageContaining("voxca ca import-key");
    assertThat(snapshot(fileCadir)).isEqualTo(before);
  }

  @Test
  void aFreshCaWithAWrongPinWritesNoCaFiles() throws Exception {
    Path fresh = dir.resolve("fresh");
    Path wrong = dir.resolve("fresh-wrong.pin");
    Files.writeString(wrong, "111111\n");
    Files.setPosixFilePermissions(wrong, PosixFilePermissions.fromString("rw-------"));
    SoftHsm.Token t = SoftHsm.create("fresh", dir);
    assertThatThrownBy(
            () ->
                start(fresh, t.hocon("fresh", "5s") + "voxca.ca-key.pin-file: \"" + wrong + "\"\n"))
        .hasMessageContaining("wrong PIN");
    assertThat(snapshot(fresh.resolve("puppet/ssl/ca")).keySet())
        .noneMatch(f -> f.startsWith("ca_") || f.equals("serial"));
    try (TestServer s = start(fresh, t.hocon("fresh", "5s"))) {
      assertThat(s.anonymous().get("/status/v1/simple").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aPinFileOthersMayReadIsUsedWithAWarning() throws Exception {
    Path open = dir.resolve("open.pin");
    Files.writeString(open, token.pin() + "\n");
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
    try (LogCapture logs = new LogCapture();
        TestServer s = start(root, with(token, "pin-file", open.toString()))) {
      assertThat(s.anonymous().get("/status/v1/simple").statusCode()).isEqualTo(200);
      assertThat(logs.events())
          .anyMatch(
              e ->
                  e.getFormattedMessage().contains("PKCS#11 PIN file " + open)
                      && !e.getFormattedMessage().contains(token.pin()));
    }
  }
}
