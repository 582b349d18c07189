package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.pki.Certificates;
import org.voxca.testing.CliRunner;
import org.voxca.testing.CliRunner.Run;
import org.voxca.testing.TestClient;
import org.voxca.testing.TestPki;
import org.voxca.testing.TestServer;

/** The newest {@code puppetserver ca} verbs: list --expired, delete, enable --infracrl. */
class CliVerbsIT {
  @TempDir Path dir;

  private static void signed(TestServer s, String name, Long ttl) {
    TestClient anon = s.anonymous();
    assertThat(
            anon.put("/puppet-ca/v1/certificate_request/" + name, TestPki.csr(name).pem())
                .statusCode())
        .isEqualTo(200);
    String body =
        ttl == null
            ? "{\"desired_state\":\"signed\"}"
            : "{\"desired_state\":\"signed\",\"cert_ttl\":" + ttl + "}";
    assertThat(s.admin().put("/puppet-ca/v1/certificate_status/" + name, body).statusCode())
        .isEqualTo(204);
  }

  @Test
  void migrateMovesALegacyCadirAndLeavesASymlink() throws Exception {
    Path root = dir.resolve("legacy");
    Path legacy = root.resolve("puppet/ssl/ca");
    Run setup = CliRunner.ca(root, List.of(), "setup", "--cadir", legacy.toString());
    assertThat(setup.code()).as(setup.err()).isZero();
    Run migrate = CliRunner.ca(root, List.of(), "migrate");
    assertThat(migrate.code()).as(migrate.err()).isZero();
    Path moved = root.resolve("puppetserver/ca");
    assertThat(moved.resolve("ca_crt.pem")).exists();
    assertThat(Files.isSymbolicLink(legacy)).isTrue();
    assertThat(Files.readSymbolicLink(legacy)).isEqualTo(moved);
    Run again = CliRunner.ca(root, List.of(), "migrate");
    assertThat(again.code()).isEqualTo(1);
    assertThat(again.err()).contains("Migration will not overwrite");
    try (TestServer s = TestServer.builder(root).start()) {
      assertThat(s.anonymous().get("/puppet-ca/v1/certificate/ca").statusCode()).isEqualTo(200);
      assertThat(Certificates.readCertificates(Files.readString(moved.resolve("ca_crt.pem"))))
          .hasSize(1);
    }
  }

  @Test
  void listExpiredThenDeleteOfflineAndEnableTheInfraCrl() throws Exception {
    Path root = dir.resolve("ca");
    Path signed;
    try (TestServer s = TestServer.builder(root).start()) {
      signed = s.config().store().signeddir();
      List<String> online = List.of("--server-url", "https://127.0.0.1:" + s.port());
      signed(s, "keep.test", null);
      signed(s, "gone.test", null);
      assertThat(
              s.admin()
                  .put(
                      "/puppet-ca/v1/certificate_status/gone.test",
                      "{\"desired_state\":\"revoked\"}")
                  .statusCode())
          .isEqualTo(204);
      Run none = CliRunner.ca(root, online, "list", "--expired");
      assertThat(none.out()).contains("No expired certificates");
      signed(s, "brief.test", 1L);
      Thread.sleep(2100);
      Run expired = CliRunner.ca(root, online, "list", "--expired");
      assertThat(expired.code()).isZero();
      assertThat(expired.out()).contains("brief.test").doesNotContain("keep.test");
      assertThat(CliRunner.ca(root, online, "delete", "--all").code())
          .as("refused while the server runs")
          .isEqualTo(1);
    }
    assertThat(CliRunner.ca(root, List.of(), "delete").code()).isEqualTo(1);
    Run both = CliRunner.ca(root, List.of(), "delete", "--all", "--expired");
    assertThat(both.code()).isEqualTo(1);
    assertThat(both.err()).contains("The --all flag must not be used");

    Run revoked = CliRunner.ca(root, List.of(), "delete", "--revoked");
    assertThat(revoked.code()).as(revoked.err()).isZero();
    assertThat(revoked.out()).contains("1 certificate deleted.");
    assertThat(signed.resolve("gone.test.pem")).doesNotExist();
    Run old = CliRunner.ca(root, List.of(), "delete", "--expired");
    assertThat(old.out()).contains("1 certificate deleted.");
    assertThat(signed.resolve("brief.test.pem")).doesNotExist();
    assertThat(signed.resolve("keep.test.pem")).exists();
    Run missing = CliRunner.ca(root, List.of(), "delete", "--certname", "keep.test,nobody.test");
    assertThat(missing.code()).as("a name not there: 24").isEqualTo(24);
    assertThat(missing.err()).contains("Could not find certificate file at");
    assertThat(signed.resolve("keep.test.pem")).doesNotExist();

    Path cadir = signed.getParent();
    Files.delete(cadir.resolve("infra_crl.pem"));
    Files.delete(cadir.resolve("infra_inventory.txt"));
    Run noInventory = CliRunner.ca(root, List.of(), "enable", "--infracrl");
    assertThat(noInventory.code()).isEqualTo(1);
    assertThat(noInventory.err()).contains("Please create an inventory file");
    Files.writeString(cadir.resolve("infra_inventory.txt"), "compiler.test\n");
    Run enabled = CliRunner.ca(root, List.of(), "enable", "--infracrl");
    assertThat(enabled.code()).as(enabled.err()).isZero();
    assertThat(Certificates.readCrls(Files.readString(cadir.resolve("infra_crl.pem")))).hasSize(1);
    assertThat(CliRunner.ca(root, List.of(), "enable", "--infracrl").code())
        .as("an existing infra CRL is not overwritten")
        .isEqualTo(1);
  }
}
