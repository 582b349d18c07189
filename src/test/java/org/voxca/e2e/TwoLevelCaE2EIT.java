package org.voxca.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.pki.Certificates;
import org.voxca.testing.CliRunner;
import org.voxca.testing.TestServer;

/**
 * {@code voxca ca setup --intermediate}: a root signs the CA that signs agents; the server adopts
 * it, Debian's agent bootstraps against it, and openssl checks the whole chain with both CRLs.
 */
class TwoLevelCaE2EIT {
  @TempDir Path dir;

  @Test
  void aServerStartingOnAnEmptyDirectoryMakesATwoLevelCaWhenConfigured() throws Exception {
    try (TestServer server =
        TestServer.builder(dir.resolve("first-start"))
            .hocon("voxca { ca-chain: two-level }")
            .start()) {
      var bundle =
          Certificates.readCertificates(Files.readString(server.cadir().resolve("ca_crt.pem")));
      assertThat(bundle).hasSize(2);
      assertThat(bundle.get(1).getSubjectX500Principal().getName())
          .startsWith("CN=Puppet Root CA: ");
      assertThat(server.cadir().resolve("root_key.pem")).exists();
    }
  }

  @Test
  void anAgentBootstrapsAgainstATwoLevelCa() throws Exception {
    Tools.require("puppet");
    Tools.require("openssl");
    Path root = dir.resolve("ca");
    CliRunner.Run setup =
        CliRunner.ca(
            root, List.of(), "setup", "--intermediate", "--root-ca-name", "Puppet Root CA: e2e");
    assertThat(setup.code()).as(setup.err()).isZero();
    try (TestServer server = TestServer.builder(root).autosign("true").start()) {
      Path cadir = server.cadir();
      assertThat(Certificates.readCertificates(Files.readString(cadir.resolve("ca_crt.pem"))))
          .hasSize(2);
      assertThat(Certificates.readCrls(Files.readString(cadir.resolve("ca_crl.pem")))).hasSize(2);
      assertThat(
              PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(cadir.resolve("root_key.pem"))))
          .isEqualTo("rw-r-----");

      Path agent = dir.resolve("agent");
      Tools.Result r =
          Tools.run(
              120,
              Tools.puppetSsl(
                      agent, server.port(), "two.auto.test", "bootstrap", "--waitforcert", "0")
                  .toArray(String[]::new));
      assertThat(r.exitCode()).as(r.output()).isZero();
      Path ssl = agent.resolve("ssl");
      assertThat(Certificates.readCertificates(Files.readString(ssl.resolve("certs/ca.pem"))))
          .hasSize(2);
      Tools.Result v =
          Tools.verifyWithCrls(
              ssl.resolve("certs/ca.pem"),
              ssl.resolve("crl.pem"),
              ssl.resolve("certs/two.auto.test.pem"));
      assertThat(v.output()).contains(": OK");
      Tools.Result subject =
          Tools.run(
              30,
              "openssl",
              "x509",
              "-noout",
              "-issuer",
              "-in",
              cadir.resolve("ca_crt.pem").toString());
      assertThat(subject.output()).contains("Puppet Root CA: e2e");
    }
  }
}
