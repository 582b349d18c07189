package org.voxca.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.testing.TestServer;

/**
 * Debian's {@code puppetserver ca} CLI (ruby-puppetserver-ca-cli 2.4.0), unchanged, against voxca:
 * a puppet.conf points it at voxca's ssldir, cadir and port; it authenticates with the server's own
 * pp_cli_auth certificate, as on a Puppet Server host.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PuppetserverCaCliE2EIT {
  @TempDir static Path dir;
  static TestServer server;
  static Path conf;

  @BeforeAll
  static void start() throws Exception {
    Tools.require("puppet");
    Tools.require("ruby");
    server = TestServer.builder(dir.resolve("server")).autosign("false").start();
    // the real clients run against the engine this test run is for (BoringSSL, or the JDK's)
    assertThat(server.tlsEngine()).isEqualTo(TestServer.expectedTlsEngine());
    conf = PuppetserverCa.conf(dir, server);
    for (String n : List.of("one.test", "two.test", "three.test", "csr-only.test")) {
      Path a = dir.resolve("agents").resolve(n);
      Tools.Result r =
          Tools.run(
              120, Tools.puppetSsl(a, server.port(), n, "submit_request").toArray(String[]::new));
      assertThat(server.config().store().csrdir().resolve(n + ".pem")).as(r.output()).exists();
    }
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  static Tools.Result ca(String... args) throws Exception {
    return PuppetserverCa.run(conf, args);
  }

  @Test
  @Order(1)
  void listShowsPendingRequests() throws Exception {
    Tools.Result r = ca("list");
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output())
        .contains("Requested Certificates:", "one.test", "two.test", "(SHA256)")
        .doesNotContain("voxca.test");
  }

  @Test
  @Order(2)
  void listAllShowsTheServerCertificateWithItsExtensions() throws Exception {
    Tools.Result r = ca("list", "--all");
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output())
        .contains("Signed Certificates:", "voxca.test", "pp_cli_auth: true", "DNS:localhost");
  }

  @Test
  @Order(3)
  void signByName() throws Exception {
    Tools.Result r = ca("sign", "--certname", "one.test");
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output()).contains("Successfully signed certificate request for one.test");
    assertThat(server.config().store().signeddir().resolve("one.test.pem")).exists();
  }

  @Test
  @Order(4)
  void signAllThenNothingLeft() throws Exception {
    Tools.Result r = ca("sign", "--all");
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output()).contains("two.test", "three.test", "csr-only.test");
    Tools.Result again = ca("sign", "--all");
    assertThat(again.exitCode()).as(again.output()).isEqualTo(24);
    assertThat(again.output()).contains("No waiting certificate requests to sign");
  }

  @Test
  @Order(5)
  void revokeAndTheListShowsIt() throws Exception {
    Tools.Result r = ca("revoke", "--certname", "two.test");
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output()).contains("Certificate for two.test has been revoked");
    Tools.Result list = ca("list", "--all");
    assertThat(list.output()).contains("Revoked Certificates:");
    assertThat(list.output().substring(list.output().indexOf("Revoked Certificates:")))
        .contains("two.test");
    Tools.Result missing = ca("revoke", "--certname", "nosuch.test");
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.output()).contains("Could not find certificate for nosuch.test");
  }

  @Test
  @Order(6)
  void cleanRevokesAndDeletes() throws Exception {
    Tools.Result r = ca("clean", "--certname", "three.test");
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output())
        .contains(
            "Certificate for three.test has been revoked", "Cleaned files related to three.test");
    assertThat(server.config().store().signeddir().resolve("three.test.pem")).doesNotExist();
    assertThat(Files.readString(server.config().store().inventory())).contains("/CN=three.test");
  }

  @Test
  @Order(7)
  void generateSignsANewCertificateThroughTheApi() throws Exception {
    Tools.Result r = ca("generate", "--certname", "generated.test");
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output())
        .contains(
            "Successfully signed certificate request for generated.test",
            "Successfully saved certificate for generated.test");
    assertThat(server.config().ssl().ssldir().resolve("certs/generated.test.pem")).exists();
    assertThat(server.config().store().signeddir().resolve("generated.test.pem")).exists();
  }
}
