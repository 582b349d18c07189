package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.pki.Certificates;
import org.voxca.testing.CliRunner;
import org.voxca.testing.SoftHsm;
import org.voxca.testing.TestDatabase;
import org.voxca.testing.TestPki;
import org.voxca.testing.TestServer;

/**
 * Two PostgreSQL replicas whose CA key lives in one PKCS#11 token: the database keeps only the
 * reference, so the second replica starts with nothing but the token's configuration and signs; an
 * export copies the reference and says Puppet Server cannot use it.
 */
class Pkcs11ReplicasIT {
  private static final String CA = "/puppet-ca/v1/";
  @TempDir Path root;

  @Test
  void aReplicaStartsWithOnlyTheToken() throws Exception {
    SoftHsm.Token token = SoftHsm.create("replicas", root);
    try (TestDatabase db = TestDatabase.create()) {
      Path a = root.resolve("a");
      Path b = root.resolve("b");
      String tokenConf = token.hocon("shared", "5s");
      try (TestServer ra =
              TestServer.builder(a).autosign("true").hocon(db.hocon(a) + tokenConf).start();
          TestServer rb =
              TestServer.builder(b).autosign("true").hocon(db.hocon(b) + tokenConf).start()) {
        assertThat(ra.cadir().resolve("ca_key.pem")).doesNotExist();
        assertThat(rb.cadir().resolve("ca_key.pem")).doesNotExist();
        assertThat(rb.issuer().certificate()).isEqualTo(ra.issuer().certificate());
        for (TestServer r : java.util.List.of(ra, rb)) {
          assertThat(r.anonymous().get("/status/v1/simple").body())
              .as("ready with no key file")
              .isEqualTo("running");
        }
        String csr = TestPki.csr("on-b.hsm.test").pem();
        assertThat(rb.anonymous().put(CA + "certificate_request/on-b.hsm.test", csr).statusCode())
            .isEqualTo(200);
        String cert = ra.anonymous().get(CA + "certificate/on-b.hsm.test").body();
        Certificates.readCertificates(cert).get(0).verify(ra.issuer().certificate().getPublicKey());
      }
      Files.writeString(root.resolve("b.conf"), db.hocon(b) + tokenConf);
      CliRunner.Run export =
          CliRunner.ca(
              b,
              List.of("--config", root.resolve("b.conf").toString()),
              "export",
              "--to",
              root.resolve("x").toString());
      assertThat(export.code()).as(export.err()).isZero();
      assertThat(export.out()).contains("Puppet Server cannot use it");
      assertThat(Files.readString(root.resolve("x/ca_key.pem")))
          .contains("label: shared")
          .doesNotContain("PRIVATE KEY");
    }
  }
}
