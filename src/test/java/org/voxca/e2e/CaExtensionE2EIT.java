package org.voxca.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.testing.CliRunner;
import org.voxca.testing.TestServer;

/**
 * The CA certificate extended while voxca runs: Debian's puppet agent, bootstrapped before and
 * still holding the old {@code ca.pem}, keeps verifying and downloading; a new agent receives the
 * new bundle; openssl verifies old and new certificates against the new bundle and CRL.
 */
class CaExtensionE2EIT {
  @TempDir static Path dir;
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    Tools.require("puppet");
    Tools.require("openssl");
    server =
        TestServer.builder(dir.resolve("server")).autosign("true").setting("ca_ttl", "2y").start();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static Tools.Result ssl(Path agent, String name, String action) throws Exception {
    return Tools.run(
        120,
        Tools.puppetSsl(agent, server.port(), name, action, "--waitforcert", "0")
            .toArray(String[]::new));
  }

  @Test
  void agentsBeforeAndAfterAnExtensionKeepWorking() throws Exception {
    Path old = dir.resolve("old-agent");
    assertThat(ssl(old, "before.auto.test", "bootstrap").exitCode()).isZero();
    String oldCa = Files.readString(old.resolve("ssl/certs/ca.pem"));

    CliRunner.Run run =
        CliRunner.ca(
            server.root,
            List.of("--server-url", "https://127.0.0.1:" + server.port()),
            "extend",
            "--ttl",
            "15y");
    assertThat(run.code()).as(run.out() + run.err()).isZero();
    String newCa = Files.readString(server.config().store().cacert());
    assertThat(newCa).isNotEqualTo(oldCa);

    Tools.Result verify = ssl(old, "before.auto.test", "verify");
    assertThat(verify.exitCode()).as(verify.output()).isZero();
    Tools.Result download = ssl(old, "before.auto.test", "download_cert");
    assertThat(download.exitCode()).as(download.output()).isZero();

    Path fresh = dir.resolve("new-agent");
    Tools.Result boot = ssl(fresh, "after.auto.test", "bootstrap");
    assertThat(boot.exitCode()).as(boot.output()).isZero();
    assertThat(Files.readString(fresh.resolve("ssl/certs/ca.pem"))).isEqualTo(newCa);

    Path bundle = dir.resolve("new-ca.pem");
    Files.writeString(bundle, newCa);
    for (Path cert :
        List.of(
            old.resolve("ssl/certs/before.auto.test.pem"),
            fresh.resolve("ssl/certs/after.auto.test.pem"))) {
      Tools.Result v = Tools.verifyWithCrls(bundle, server.config().store().cacrl(), cert);
      assertThat(v.output()).as(cert.toString()).contains(": OK");
    }
  }
}
