package org.voxca.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.testing.SoftHsm;
import org.voxca.testing.TestServer;

/**
 * Debian's agent and {@code puppetserver ca} CLI, unchanged, against a voxca whose CA key lives in
 * a SoftHSM2 token: the agent bootstraps (its certificate and the CRL verify with openssl), the CLI
 * signs a waiting request and revokes it, every signature made by the token.
 */
class Pkcs11E2EIT {
  @TempDir static Path dir;
  static TestServer server;
  static Path conf;

  @BeforeAll
  static void start() throws Exception {
    Tools.require("puppet");
    Tools.require("ruby");
    Tools.require("openssl");
    SoftHsm.Token token = SoftHsm.create("e2e", dir);
    server =
        TestServer.builder(dir.resolve("server"))
            .autosign("false")
            .hocon(token.hocon("e2e-ca", "5s"))
            .start();
    conf = PuppetserverCa.conf(dir, server);
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
  void anAgentBootstrapsAndTheCliSignsAndRevokesThroughTheToken() throws Exception {
    assertThat(Files.readString(server.cadir().resolve("ca_key.pem")))
        .contains("label: e2e-ca")
        .doesNotContain("PRIVATE KEY");
    Path agent = dir.resolve("agent");
    String name = "hsm-agent.test";
    Tools.Result submit =
        Tools.run(
            120,
            Tools.puppetSsl(agent, server.port(), name, "submit_request").toArray(String[]::new));
    assertThat(submit.exitCode()).as(submit.output()).isZero();
    Tools.Result sign = ca("sign", "--certname", name);
    assertThat(sign.exitCode()).as(sign.output()).isZero();
    Tools.Result boot =
        Tools.run(
            120,
            Tools.puppetSsl(agent, server.port(), name, "bootstrap", "--waitforcert", "0")
                .toArray(String[]::new));
    assertThat(boot.exitCode()).as(boot.output()).isZero();
    assertThat(boot.output()).contains("Completed SSL initialization");
    Path ssl = agent.resolve("ssl");
    Tools.Result v =
        Tools.verifyWithCrls(
            ssl.resolve("certs/ca.pem"),
            ssl.resolve("crl.pem"),
            ssl.resolve("certs/" + name + ".pem"));
    assertThat(v.output()).contains(": OK");

    Tools.Result revoke = ca("revoke", "--certname", name);
    assertThat(revoke.exitCode()).as(revoke.output()).isZero();
    Path crl = dir.resolve("crl.pem");
    Files.writeString(
        crl, server.anonymous().get("/puppet-ca/v1/certificate_revocation_list/ca").body());
    Tools.Result revoked =
        Tools.verifyWithCrls(
            ssl.resolve("certs/ca.pem"), crl, ssl.resolve("certs/" + name + ".pem"));
    assertThat(revoked.output()).contains("certificate revoked");
  }
}
