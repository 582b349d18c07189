package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.testing.CliRunner;
import org.voxca.testing.Secrets;
import org.voxca.testing.TestDatabase;
import org.voxca.testing.TestReplicas;
import org.voxca.testing.TestServer;

/**
 * Two replicas on one PostgreSQL sharing an encrypted CA key that neither has as a file: the first
 * stores it sealed in the database, the second starts with only the passphrase and signs; a
 * rotation re-encrypts the database's copy once for every replica; an export writes the key
 * encrypted, or plain only when asked.
 */
class EncryptedKeyReplicasIT {
  private static final String CA = "/puppet-ca/v1/";
  @TempDir Path root;

  private Path passphrase(String name, String secret) throws Exception {
    return Secrets.passphraseFile(root.resolve(name), secret);
  }

  private static String hocon(TestDatabase db, Path dir, Path pass) {
    return db.hocon(dir)
        + "voxca { ca-key { type: encrypted, passphrase-file: \""
        + pass
        + "\" } }\n";
  }

  @Test
  void aReplicaStartsWithOnlyThePassphrase() throws Exception {
    Path pass = passphrase("pass", "shared by the replicas");
    try (TestDatabase db = TestDatabase.create()) {
      Path a = root.resolve("a");
      Path b = root.resolve("b");
      try (TestServer ra =
              TestServer.builder(a).autosign("true").hocon(hocon(db, a, pass)).start();
          TestServer rb =
              TestServer.builder(b).autosign("true").hocon(hocon(db, b, pass)).start()) {
        TestReplicas.shareOneCaWithoutKeyFiles(ra, rb, "on-b.enc.test");
      }

      // rotate once, in the database: every replica starts with the new passphrase, none with the
      // old
      Path next = passphrase("next", "the next passphrase");
      Files.writeString(root.resolve("a.conf"), hocon(db, a, pass));
      CliRunner.Run rotate =
          CliRunner.ca(
              a,
              List.of("--config", root.resolve("a.conf").toString()),
              "key",
              "--rotate-passphrase",
              next.toString());
      assertThat(rotate.code()).as(rotate.err()).isZero();
      assertThatThrownBy(
              () -> TestServer.builder(b).autosign("true").hocon(hocon(db, b, pass)).start())
          .hasMessageContaining("wrong passphrase");
      try (TestServer rb =
          TestServer.builder(b).autosign("true").hocon(hocon(db, b, next)).start()) {
        assertThat(rb.anonymous().get(CA + "certificate/on-b.enc.test").statusCode())
            .isEqualTo(200);
      }

      // export: encrypted by default, plain only on --plain-key
      Files.writeString(root.resolve("b.conf"), hocon(db, b, next));
      List<String> conf = List.of("--config", root.resolve("b.conf").toString());
      CliRunner.Run sealed = CliRunner.ca(b, conf, "export", "--to", root.resolve("x1").toString());
      assertThat(sealed.code()).as(sealed.err()).isZero();
      assertThat(Files.readString(root.resolve("x1/ca_key.pem")))
          .startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
      CliRunner.Run plain =
          CliRunner.ca(b, conf, "export", "--to", root.resolve("x2").toString(), "--plain-key");
      assertThat(plain.code()).as(plain.err()).isZero();
      assertThat(plain.out()).contains("written in clear");
      assertThat(Files.readString(root.resolve("x2/ca_key.pem")))
          .doesNotContain("ENCRYPTED")
          .contains("PRIVATE KEY");
    }
  }
}
