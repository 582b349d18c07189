package org.voxca.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.pki.Certificates;
import org.voxca.testing.TestServer;

/**
 * An EC certificate authority ({@code key_type = ec}, Puppet's own setting): the CA, its CRL and
 * the server key are ECDSA P-256, and Debian's puppet agent (an RSA key) bootstraps against it.
 */
class EcCaE2EIT {
  @TempDir static Path dir;
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    Tools.require("puppet");
    Tools.require("openssl");
    server =
        TestServer.builder(dir.resolve("server"))
            .autosign("true")
            .setting("key_type", "ec")
            .start();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void anAgentBootstrapsAgainstAnEcCa() throws Exception {
    X509Certificate ca = server.issuer().certificate();
    assertThat(ca.getPublicKey().getAlgorithm()).isEqualTo("EC");
    assertThat(ca.getSigAlgName()).isEqualTo("SHA256withECDSA");
    assertThat(
            Certificates.readCertificates(Files.readString(server.config().ssl().hostcert()))
                .get(0)
                .getPublicKey()
                .getAlgorithm())
        .isEqualTo("EC");
    assertThat(server.config().ssl().hostcert().resolveSibling("voxca.test-ecdsa.pem"))
        .as("no second certificate when the main one is ECDSA already")
        .doesNotExist();

    Path agent = dir.resolve("agent");
    Tools.Result r =
        Tools.run(
            120,
            Tools.puppetSsl(
                    agent, server.port(), "ec-agent.auto.test", "bootstrap", "--waitforcert", "0")
                .toArray(String[]::new));
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output()).contains("Completed SSL initialization");
    Path ssl = agent.resolve("ssl");
    Tools.Result v =
        Tools.verifyWithCrls(
            ssl.resolve("certs/ca.pem"),
            ssl.resolve("crl.pem"),
            ssl.resolve("certs/ec-agent.auto.test.pem"));
    assertThat(v.output()).contains(": OK");
    Tools.Result text =
        Tools.run(
            30,
            "openssl",
            "x509",
            "-noout",
            "-text",
            "-in",
            ssl.resolve("certs/ec-agent.auto.test.pem").toString());
    assertThat(text.output()).contains("Signature Algorithm: ecdsa-with-SHA256");
  }
}
