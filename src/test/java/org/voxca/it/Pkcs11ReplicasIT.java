package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.testing.CliRunner;
import org.voxca.testing.SoftHsm;
import org.voxca.testing.TestDatabase;
import org.voxca.testing.TestReplicas;
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
        TestReplicas.shareOneCaWithoutKeyFiles(ra, rb, "on-b.hsm.test");
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
