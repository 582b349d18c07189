package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.pki.Certificates;
import org.voxca.testing.CliRunner;
import org.voxca.testing.Secrets;
import org.voxca.testing.TestPki;
import org.voxca.testing.TestServer;

/**
 * The CA key encrypted at rest ({@code voxca { ca-key { type: encrypted, passphrase-file } }}): a
 * new CA writes encrypted PKCS#8 that OpenSSL reads with the passphrase, and signs; a wrong
 * passphrase, or none, refuses to start with the reason and changes nothing; a plain key is
 * encrypted in place at the first start; {@code voxca ca key} re-encrypts under a new passphrase
 * and writes it plain again for Puppet Server.
 */
class EncryptedKeyIT {
  @TempDir Path dir;

  private Path passphrase(String name, String secret) throws Exception {
    return Secrets.passphraseFile(dir.resolve(name), secret);
  }

  private static String encrypted(Path pass) {
    return "voxca { ca-key { type: encrypted, passphrase-file: \"" + pass + "\" } }\n";
  }

  private static TestServer start(Path root, String hocon) throws Exception {
    return TestServer.builder(root).autosign("true").hocon(hocon).start();
  }

  private static void signs(TestServer s, String name) {
    assertThat(
            s.anonymous()
                .put("/puppet-ca/v1/certificate_request/" + name, TestPki.csr(name).pem())
                .statusCode())
        .isEqualTo(200);
    String pem = s.anonymous().get("/puppet-ca/v1/certificate/" + name).body();
    assertThat(Certificates.readCertificates(pem).get(0).getIssuerX500Principal())
        .isEqualTo(s.issuer().certificate().getSubjectX500Principal());
  }

  private static String openssl(Path key, Path pass) throws Exception {
    Process p =
        new ProcessBuilder(
                "openssl", "pkey", "-in", key.toString(), "-passin", "file:" + pass, "-noout")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    return p.waitFor() + ":" + out;
  }

  @Test
  void aNewCaKeyIsEncryptedAndAWrongPassphraseChangesNothing() throws Exception {
    Path root = dir.resolve("new");
    Path pass = passphrase("pass", "correct horse battery staple");
    Path key;
    try (TestServer s = start(root, encrypted(pass))) {
      key = s.cadir().resolve("ca_key.pem");
      signs(s, "one.enc.test");
    }
    String sealed = Files.readString(key);
    assertThat(sealed).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
    assertThat(openssl(key, pass)).startsWith("0:");
    assertThat(openssl(key, passphrase("wrong", "tr0ub4dor"))).doesNotStartWith("0:");

    assertThatThrownBy(() -> start(root, encrypted(dir.resolve("wrong"))))
        .hasMessageContaining("wrong passphrase");
    assertThatThrownBy(() -> start(root, ""))
        .hasMessageContaining("is encrypted: configure voxca { ca-key");
    assertThat(Files.readString(key)).as("nothing rewritten").isEqualTo(sealed);
    try (TestServer s = start(root, encrypted(pass))) {
      signs(s, "two.enc.test");
    }
  }

  @Test
  void aPlainKeyIsEncryptedInPlaceThenRotatedAndDecryptedByTheCli() throws Exception {
    Path root = dir.resolve("plain");
    Path key;
    try (TestServer s = start(root, "")) {
      key = s.cadir().resolve("ca_key.pem");
    }
    String plain = Files.readString(key);
    assertThat(plain).doesNotContain("ENCRYPTED");
    Path pass = passphrase("first", "first passphrase");
    try (TestServer s = start(root, encrypted(pass))) {
      signs(s, "after.enc.test");
    }
    assertThat(Files.readString(key)).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .isIn("rw-------", "rw-r-----");

    Files.writeString(dir.resolve("voxca.conf"), encrypted(pass));
    Path second = passphrase("second", "second passphrase");
    CliRunner.Run rotate =
        CliRunner.ca(
            root,
            List.of("--config", dir.resolve("voxca.conf").toString()),
            "key",
            "--rotate-passphrase",
            second.toString());
    assertThat(rotate.code()).as(rotate.err()).isZero();
    assertThat(openssl(key, second)).startsWith("0:");
    assertThat(openssl(key, pass)).doesNotStartWith("0:");

    Files.writeString(dir.resolve("voxca.conf"), encrypted(second));
    CliRunner.Run decrypt =
        CliRunner.ca(
            root, List.of("--config", dir.resolve("voxca.conf").toString()), "key", "--decrypt");
    assertThat(decrypt.code()).as(decrypt.err()).isZero();
    assertThat(Files.readString(key)).doesNotContain("ENCRYPTED").contains("PRIVATE KEY");
    try (TestServer s = start(root, "")) {
      signs(s, "plain-again.enc.test");
    }
  }
}
