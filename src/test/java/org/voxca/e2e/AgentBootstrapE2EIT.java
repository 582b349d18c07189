package org.voxca.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.pki.Certificates;
import org.voxca.testing.Await;
import org.voxca.testing.TestPki;
import org.voxca.testing.TestServer;

/**
 * Debian's puppet-agent bootstraps its trust against voxca, unchanged: {@code puppet ssl bootstrap}
 * fetches the CA and CRL, submits its CSR, waits while it is pending, and ends with a certificate
 * that {@code openssl verify -crl_check_all} accepts.
 */
class AgentBootstrapE2EIT {
  @TempDir static Path dir;
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    Tools.require("puppet");
    Tools.require("openssl");
    Path autosign = dir.resolve("autosign.conf");
    Files.writeString(autosign, "# autosigned agents\n*.auto.test\n");
    server = TestServer.builder(dir.resolve("server")).autosign(autosign.toString()).start();
    // the real clients run against the engine this test run is for (BoringSSL, or the JDK's)
    assertThat(server.tlsEngine()).isEqualTo(TestServer.expectedTlsEngine());
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aLargeCrlReachesTheAgentGzippedAndIntact() throws Exception {
    for (int i = 0; i < 60; i++) {
      String name = "gone" + i + ".auto.test";
      assertThat(
              server
                  .anonymous()
                  .put("/puppet-ca/v1/certificate_request/" + name, TestPki.csr(name).pem())
                  .statusCode())
          .isEqualTo(200);
      assertThat(
              server
                  .admin()
                  .put(
                      "/puppet-ca/v1/certificate_status/" + name, "{\"desired_state\":\"revoked\"}")
                  .statusCode())
          .isEqualTo(204);
    }
    String crl = Files.readString(server.config().store().cacrl());
    assertThat(crl.length()).as("a CRL large enough to be gzipped").isGreaterThan(2048);
    Tools.Result c =
        Tools.run(
            30,
            "curl",
            "-sk",
            "--compressed",
            "-o",
            "/dev/null",
            "-w",
            "%{size_download} %{content_type}",
            "https://127.0.0.1:" + server.port() + "/puppet-ca/v1/certificate_revocation_list/ca");
    long downloaded = Long.parseLong(c.output().trim().split(" ")[0]);
    assertThat(downloaded).as("gzipped bytes on the wire").isLessThan(crl.length() / 2);

    Path agent = dir.resolve("agent-big-crl");
    Tools.Result r =
        Tools.run(
            120,
            Tools.puppetSsl(
                    agent, server.port(), "big-crl.auto.test", "bootstrap", "--waitforcert", "0")
                .toArray(String[]::new));
    assertThat(r.exitCode()).as(r.output()).isZero();
    List<X509CRL> stored = Certificates.readCrls(Files.readString(agent.resolve("ssl/crl.pem")));
    List<X509CRL> served = Certificates.readCrls(crl);
    assertThat(stored).hasSameSizeAs(served);
    assertThat(stored.get(0).getEncoded())
        .as("the agent decompressed and kept the CA's CRL")
        .isEqualTo(served.get(0).getEncoded());
    System.out.printf(
        "[e2e] CRL of 61 entries: %d bytes of PEM, %d bytes gzipped%n", crl.length(), downloaded);
  }

  @Test
  void autosignedAgentBootstrapsAndItsCertificateVerifiesWithTheCrl() throws Exception {
    Path agent = dir.resolve("agent1");
    Tools.Result r =
        Tools.run(
            120,
            Tools.puppetSsl(
                    agent, server.port(), "agent1.auto.test", "bootstrap", "--waitforcert", "0")
                .toArray(String[]::new));
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output()).contains("Completed SSL initialization");
    Path ssl = agent.resolve("ssl");
    assertThat(Files.readString(ssl.resolve("certs/ca.pem")))
        .isEqualTo(Files.readString(server.config().store().cacert()));
    Tools.Result v =
        Tools.verifyWithCrls(
            ssl.resolve("certs/ca.pem"),
            ssl.resolve("crl.pem"),
            ssl.resolve("certs/agent1.auto.test.pem"));
    assertThat(v.exitCode()).as(v.output()).isZero();
    assertThat(v.output()).contains("agent1.auto.test.pem: OK");
    // the key the agent kept matches the certificate voxca signed
    Tools.Result cert =
        Tools.run(
            30,
            "openssl",
            "x509",
            "-noout",
            "-pubkey",
            "-in",
            ssl.resolve("certs/agent1.auto.test.pem").toString());
    Tools.Result key =
        Tools.run(
            30,
            "openssl",
            "pkey",
            "-pubout",
            "-in",
            ssl.resolve("private_keys/agent1.auto.test.pem").toString());
    assertThat(cert.output()).isEqualTo(key.output());
    assertThat(r.millis())
        .as("a real agent must not stall (Puppet Server stalls 30 s)")
        .isLessThan(20_000);
    System.out.printf("[e2e] puppet ssl bootstrap (autosigned) took %d ms%n", r.millis());
  }

  @Test
  void pendingAgentWaitsAndCompletesOnceAnOperatorSigns() throws Exception {
    Path agent = dir.resolve("agent2");
    Path log = dir.resolve("agent2.log");
    Process p =
        Tools.start(
            log,
            Tools.puppetSsl(
                    agent, server.port(), "agent2.pending.test", "bootstrap", "--waitforcert", "1")
                .toArray(String[]::new));
    try {
      Path csr = server.config().store().csrdir().resolve("agent2.pending.test.pem");
      Await.until(Duration.ofSeconds(60), "the agent's CSR is pending", () -> Files.exists(csr));
      // the agent polls at least once while pending, and keeps waiting
      Await.until(
          Duration.ofSeconds(60),
          "the agent polled for its certificate",
          () -> Files.readString(log).contains("Couldn't fetch certificate from CA server"));
      assertThat(p.isAlive()).as("the agent keeps waiting while its CSR is pending").isTrue();

      var sign =
          server
              .admin()
              .put(
                  "/puppet-ca/v1/certificate_status/agent2.pending.test",
                  "{\"desired_state\":\"signed\"}",
                  "Content-Type",
                  "application/json");
      assertThat(sign.statusCode()).as(sign.body()).isEqualTo(204);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(Files.readString(log)).isTrue();
      assertThat(p.exitValue()).as(Files.readString(log)).isZero();
      assertThat(Files.readString(log)).contains("Completed SSL initialization");
      Tools.Result v =
          Tools.verifyWithCrls(
              agent.resolve("ssl/certs/ca.pem"),
              agent.resolve("ssl/crl.pem"),
              agent.resolve("ssl/certs/agent2.pending.test.pem"));
      assertThat(v.exitCode()).as(v.output()).isZero();
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void puppetSslVerifyAcceptsTheResultAndARevokedAgentIsRefused() throws Exception {
    Path agent = dir.resolve("agent3");
    Tools.Result r =
        Tools.run(
            120,
            Tools.puppetSsl(
                    agent, server.port(), "agent3.auto.test", "bootstrap", "--waitforcert", "0")
                .toArray(String[]::new));
    assertThat(r.exitCode()).as(r.output()).isZero();
    Tools.Result verify =
        Tools.run(
            60,
            Tools.puppetSsl(agent, server.port(), "agent3.auto.test", "verify")
                .toArray(String[]::new));
    assertThat(verify.exitCode()).as(verify.output()).isZero();

    var revoke =
        server
            .admin()
            .put(
                "/puppet-ca/v1/certificate_status/agent3.auto.test",
                "{\"desired_state\":\"revoked\"}",
                "Content-Type",
                "application/json");
    assertThat(revoke.statusCode()).as(revoke.body()).isEqualTo(204);
    Path ssl = agent.resolve("ssl");
    Tools.Result curl =
        Tools.getAs(
            ssl,
            "agent3.auto.test",
            "https://localhost:" + server.port() + "/puppet-ca/v1/certificate/ca");
    assertThat(curl.output())
        .as("a revoked client certificate is refused at once, without a restart")
        .isNotEqualTo("200");
  }
}
