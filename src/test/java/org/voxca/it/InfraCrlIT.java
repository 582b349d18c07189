package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.pki.Certificates;
import org.voxca.testing.TestPki;
import org.voxca.testing.TestServer;

/** enable-infra-crl: agents download the infrastructure CRL; TLS enforces the full one. */
class InfraCrlIT {
  @TempDir static Path dir;
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server =
        TestServer.builder(dir)
            .autosign("true")
            .hocon("certificate-authority { enable-infra-crl: true }")
            .start();
    Files.writeString(server.cadir().resolve("infra_inventory.txt"), "compiler.test\n");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static BigInteger sign(String name) {
    assertThat(
            server
                .anonymous()
                .put("/puppet-ca/v1/certificate_request/" + name, TestPki.csr(name).pem())
                .statusCode())
        .isEqualTo(200);
    X509Certificate c =
        Certificates.readCertificates(
                server.anonymous().get("/puppet-ca/v1/certificate/" + name).body())
            .get(0);
    return c.getSerialNumber();
  }

  static X509CRL served() {
    return Certificates.readCrls(
            server.anonymous().get("/puppet-ca/v1/certificate_revocation_list/ca").body())
        .get(0);
  }

  @Test
  void onlyInfrastructureRevocationsReachTheServedCrl() throws Exception {
    assertThat(server.cadir().resolve("infra_crl.pem")).exists();
    BigInteger agent = sign("plain-agent.test");
    BigInteger compiler = sign("compiler.test");
    assertThat(
            server
                .admin()
                .put(
                    "/puppet-ca/v1/certificate_status/plain-agent.test",
                    "{\"desired_state\":\"revoked\"}")
                .statusCode())
        .isEqualTo(204);
    assertThat(served().getRevokedCertificate(agent))
        .as("agents never see a plain agent's revocation")
        .isNull();
    X509CRL full = Certificates.readCrls(Files.readString(server.config().store().cacrl())).get(0);
    assertThat(full.getRevokedCertificate(agent)).isNotNull();
    assertThat(server.server.ca().isRevoked(agent)).as("TLS enforces the full CRL").isTrue();

    assertThat(
            server
                .admin()
                .put(
                    "/puppet-ca/v1/certificate_status/compiler.test",
                    "{\"desired_state\":\"revoked\"}")
                .statusCode())
        .isEqualTo(204);
    assertThat(served().getRevokedCertificate(compiler)).isNotNull();
    assertThat(Files.readString(server.cadir().resolve("infra_crl.pem")))
        .isEqualTo(server.anonymous().get("/puppet-ca/v1/certificate_revocation_list/ca").body());
  }
}
