package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.pki.CertExtensions;
import org.voxca.pki.Certificates;
import org.voxca.pki.CrlBuilder;
import org.voxca.pki.Issuer;
import org.voxca.pki.Keys;
import org.voxca.pki.Pem;
import org.voxca.testing.CliRunner;
import org.voxca.testing.CliRunner.Run;
import org.voxca.testing.TestPki;
import org.voxca.testing.TestServer;

/** voxca's own CLI ({@code voxca ca <verb>}), online against a running server and offline. */
class VoxcaCliIT {
  @TempDir static Path dir;
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.builder(dir.resolve("server")).autosign("false").start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static Run ca(Path root, String... args) {
    List<String> extra =
        server != null && root.equals(server.root)
            ? List.of("--server-url", "https://127.0.0.1:" + server.port())
            : List.of();
    return CliRunner.ca(root, extra, args);
  }

  static Run online(String... args) {
    return ca(server.root, args);
  }

  static void submit(String name) {
    assertThat(
            server
                .anonymous()
                .put("/puppet-ca/v1/certificate_request/" + name, TestPki.csr(name).pem())
                .statusCode())
        .isEqualTo(200);
  }

  /** {@code puppetserver ca setup}'s own spellings: --certname, --subject-alt-names, --ca-name. */
  @Test
  void setupTakesPuppetsSpellings() throws Exception {
    Path root = dir.resolve("puppet-spellings");
    Run setup =
        ca(
            root,
            "setup",
            "--certname",
            "spelled.test",
            "--subject-alt-names",
            "puppet,alt.spelled.test",
            "--ca-name",
            "Spelled CA");
    assertThat(setup.code()).as(setup.err()).isZero();
    X509Certificate ca =
        Certificates.readCertificates(Files.readString(root.resolve("puppetserver/ca/ca_crt.pem")))
            .get(0);
    assertThat(ca.getSubjectX500Principal().getName()).isEqualTo("CN=Spelled CA");
    X509Certificate host =
        Certificates.readCertificates(
                Files.readString(root.resolve("puppet/ssl/certs/spelled.test.pem")))
            .get(0);
    assertThat(host.getSubjectAlternativeNames().stream().map(n -> (Object) n.get(1)).toList())
        .contains((Object) "spelled.test", "puppet", "alt.spelled.test")
        .doesNotContain((Object) "localhost");
  }

  @Test
  void onlineRoundTrip() {
    submit("cli-one.test");
    submit("cli-two.test");
    submit("cli-csr.test");
    Run list = online("list");
    assertThat(list.code()).as(list.err()).isZero();
    assertThat(list.out())
        .startsWith("NAME")
        .contains("cli-one.test  requested")
        .contains("cli-two.test");
    assertThat(
            list.out()
                .lines()
                .map(l -> l.indexOf("requested"))
                .filter(i -> i >= 0)
                .distinct()
                .count())
        .as("aligned columns")
        .isEqualTo(1);

    Run sign = online("sign", "--certname", "cli-one.test");
    assertThat(sign.code()).as(sign.err()).isZero();
    assertThat(sign.out()).contains("Successfully signed certificate request for cli-one.test");
    assertThat(online("sign", "--certname", "nosuch.test").code()).isEqualTo(1);
    Run all = online("sign", "--all", "--ttl", "30d");
    assertThat(all.code()).as(all.err()).isZero();
    assertThat(all.out()).contains("cli-two.test", "cli-csr.test");
    Run none = online("sign", "--all");
    assertThat(none.code()).isEqualTo(24);
    assertThat(none.err()).contains("No waiting certificate requests to sign");

    Run revoke = online("revoke", "--certname", "cli-one.test");
    assertThat(revoke.code()).as(revoke.err()).isZero();
    assertThat(revoke.out()).contains("Certificate for cli-one.test has been revoked");
    assertThat(online("revoke", "--certname", "ghost.test").code()).isEqualTo(1);
    submit("cli-pending.test");
    Run pending = online("revoke", "--certname", "cli-pending.test");
    assertThat(pending.code()).isEqualTo(24);
    assertThat(pending.err()).contains("Could not revoke unsigned csr for cli-pending.test");
    // the server's own certificate: the API's explanation, not Puppet's words for a CSR
    String self = server.config().certname();
    Run own = online("revoke", "--certname", self);
    assertThat(own.code()).isEqualTo(24);
    assertThat(own.err())
        .contains("The CA server's own certificate (" + self + ") cannot be revoked")
        .doesNotContain("unsigned csr");

    Run clean = online("clean", "--certname", "cli-two.test");
    assertThat(clean.code()).as(clean.err()).isZero();
    assertThat(clean.out()).contains("Cleaned files related to cli-two.test");
    assertThat(server.config().store().signeddir().resolve("cli-two.test.pem")).doesNotExist();

    Run expirations = online("expirations");
    assertThat(expirations.code()).as(expirations.err()).isZero();
    assertThat(expirations.out())
        .contains("CA certificates (notAfter):", "CRLs (nextUpdate):", "Puppet CA: ")
        .containsPattern("  \\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}UTC  ");
    assertThat(online("expirations", "--format", "json").out()).contains("\"ca-certs\"");

    Run json = online("list", "--all", "--format", "json");
    assertThat(json.code()).isZero();
    assertThat(json.out())
        .contains("\"requested\"", "\"signed\"", "\"revoked\"", "cli-one.test", "voxca.test");

    Run gen = online("generate", "--certname", "cli-gen.test");
    assertThat(gen.code()).as(gen.err()).isZero();
    assertThat(server.config().ssl().ssldir().resolve("certs/cli-gen.test.pem")).exists();
    assertThat(server.config().ssl().ssldir().resolve("private_keys/cli-gen.test.pem")).exists();
    assertThat(server.config().store().signeddir().resolve("cli-gen.test.pem")).exists();
  }

  @Test
  void offlineSetupCreatesACaAndRefusesBesideARunningServer() throws Exception {
    Path root = dir.resolve("offline");
    Run setup = ca(root, "setup");
    assertThat(setup.code()).as(setup.err()).isZero();
    Path cadir = root.resolve("puppetserver/ca");
    for (String f :
        new String[] {
          "ca_crt.pem",
          "ca_key.pem",
          "ca_crl.pem",
          "serial",
          "inventory.txt",
          "signed/voxca.test.pem"
        }) {
      assertThat(cadir.resolve(f)).exists();
    }
    assertThat(root.resolve("puppet/ssl/certs/voxca.test.pem")).exists();
    Run again = ca(root, "setup");
    assertThat(again.code()).isEqualTo(1);
    assertThat(again.err()).contains("CA files already exist");
    // check: consistent; a serial file set back is found, and repaired with --repair
    assertThat(ca(root, "check").out()).contains("is consistent");
    Files.writeString(cadir.resolve("serial"), "0001");
    Run bad = ca(root, "check");
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.out()).contains("problem: the serial file (0001) is not ahead");
    assertThat(ca(root, "check", "--repair").code()).isZero();
    assertThat(Files.readString(cadir.resolve("serial"))).isEqualTo("0003");

    // generate --ca-client: an admin certificate signed offline, recorded in signed/ and the
    // inventory
    Run client = ca(root, "generate", "--ca-client", "--certname", "admin2.test");
    assertThat(client.code()).as(client.err()).isZero();
    var admin2 =
        Certificates.readCertificates(
                Files.readString(root.resolve("puppet/ssl/certs/admin2.test.pem")))
            .get(0);
    assertThat(CertExtensions.text(admin2, "1.3.6.1.4.1.34380.1.3.39")).isEqualTo("true");
    assertThat(Files.readString(cadir.resolve("inventory.txt"))).contains("/CN=admin2.test");

    // prune --remove-expired: a revoked serial whose certificate expired leaves the CRL
    var issuerKey = Keys.readKeyPair(Files.readString(cadir.resolve("ca_key.pem")));
    var caCertObj =
        Certificates.readCertificates(Files.readString(cadir.resolve("ca_crt.pem"))).get(0);
    var issuer = new Issuer(caCertObj, issuerKey.getPrivate(), List.of(caCertObj));
    Files.writeString(
        cadir.resolve("ca_crl.pem"),
        Pem.encode(
            CrlBuilder.build(
                issuer,
                Instant.now().minusSeconds(60),
                Instant.now().plusSeconds(86400 * 365L),
                BigInteger.ONE,
                Map.of(
                    BigInteger.valueOf(0x77),
                    Instant.now(),
                    BigInteger.valueOf(0x78),
                    Instant.now(),
                    BigInteger.valueOf(0x79),
                    Instant.now(),
                    BigInteger.valueOf(0x7A),
                    Instant.now()))));
    Files.writeString(
        cadir.resolve("inventory.txt"),
        "0x0077 2020-01-01T00:00:00UTC 2021-01-01T00:00:00UTC /CN=old.test\n"
            + "0x007A 2020-01-01T00:00:00UTC 2099-01-01T00:00:00UTC /CN=named.test\n",
        StandardOpenOption.APPEND);
    Run prune = ca(root, "prune", "--remove-expired");
    assertThat(prune.code()).as(prune.err()).isZero();
    assertThat(prune.out())
        .contains("Total number of certificates found in Puppet's CRL is: 4.")
        .contains("Removed 1 certs from Puppet's CRL.");
    var pruned = Certificates.readCrls(Files.readString(cadir.resolve("ca_crl.pem"))).get(0);
    assertThat(pruned.getRevokedCertificate(BigInteger.valueOf(0x77))).isNull();
    assertThat(pruned.getRevokedCertificate(BigInteger.valueOf(0x78))).isNotNull();
    // prune --remove-entries by serial and by certname (through the inventory)
    assertThat(ca(root, "prune", "--remove-entries").code()).isEqualTo(1);
    Run entries =
        ca(root, "prune", "--remove-entries", "--serial", "79", "--certname", "named.test");
    assertThat(entries.code()).as(entries.err()).isZero();
    assertThat(entries.out()).contains("Removed 2 certs from Puppet's CRL.");
    pruned = Certificates.readCrls(Files.readString(cadir.resolve("ca_crl.pem"))).get(0);
    assertThat(pruned.getRevokedCertificates()).hasSize(1);
    assertThat(pruned.getRevokedCertificate(BigInteger.valueOf(0x78))).isNotNull();
    assertThat(ca(root, "prune").out())
        .contains("No matching revocations found in the CRL for pruning");

    // a server started on the set-up directory adopts it
    String caCert = Files.readString(cadir.resolve("ca_crt.pem"));
    try (TestServer s = TestServer.builder(root).start()) {
      assertThat(s.anonymous().get("/puppet-ca/v1/certificate/ca").body()).isEqualTo(caCert);
      for (String verb : new String[] {"setup", "prune"}) {
        Run locked = ca(root, verb);
        assertThat(locked.code()).as(verb).isEqualTo(1);
        assertThat(locked.err()).contains("in use by another voxca process");
      }
      Run lockedGen = ca(root, "generate", "--ca-client", "--certname", "admin3.test");
      assertThat(lockedGen.code()).isEqualTo(1);
      assertThat(root.resolve("puppet/ssl/certs/admin3.test.pem")).doesNotExist();
    }
  }
}
