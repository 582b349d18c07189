package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.pki.Certificates;
import org.voxca.testing.CliRunner;
import org.voxca.testing.RawTls;
import org.voxca.testing.TestServer;

/**
 * {@code voxca ca rollover} offline and through the running server, and a rollover step cut short
 * by a crash: the server completes an interrupted prepare (the record written, the bundle not yet)
 * and an interrupted abort at its start.
 */
class CaRolloverCliIT {
  @TempDir Path dir;

  @Test
  void offlinePrepareThenACrashedPrepareAndACrashedAbortAreCompletedAtStart() throws Exception {
    Path root = dir.resolve("server");
    Path cadir;
    try (TestServer server = TestServer.builder(root).start()) {
      cadir = server.cadir();
      CliRunner.Run online =
          CliRunner.ca(
              root,
              List.of("--server-url", "https://127.0.0.1:" + server.port()),
              "rollover",
              "status");
      assertThat(online.code()).as(online.out() + online.err()).isZero();
      assertThat(online.out()).contains("\"stage\":\"none\"");
    }
    Path bundleFile = cadir.resolve("ca_crt.pem");
    Path crlFile = cadir.resolve("ca_crl.pem");
    String bundleBefore = Files.readString(bundleFile);
    String crlBefore = Files.readString(crlFile);

    CliRunner.Run usage =
        CliRunner.ca(root, List.of(), "rollover", "status", "--curve", "secp384r1");
    assertThat(usage.code()).isEqualTo(2);
    CliRunner.Run unknown = CliRunner.ca(root, List.of(), "rollover", "activate-now");
    assertThat(unknown.code()).isEqualTo(2);
    CliRunner.Run bad =
        CliRunner.ca(
            root, List.of(), "rollover", "prepare", "--key-type", "rsa", "--key-length", "1000");
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.err()).contains("2048, 3072 or 4096");
    assertThat(cadir.resolve("rollover/stage")).doesNotExist();

    CliRunner.Run prepare =
        CliRunner.ca(
            root,
            List.of(),
            "rollover",
            "prepare",
            "--key-type",
            "rsa",
            "--key-length",
            "2048",
            "--ca-name",
            "Puppet CA: next.test");
    assertThat(prepare.code()).as(prepare.out() + prepare.err()).isZero();
    assertThat(prepare.out())
        .contains("Rollover: prepared")
        .contains("Next CA:    CN=Puppet CA: next.test, RSA 2048")
        .contains("holds the next CA");
    Set<PosixFilePermission> perms =
        Files.getPosixFilePermissions(cadir.resolve("rollover/next_key.pem"));
    assertThat(perms)
        .doesNotContain(
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.OTHERS_WRITE);
    List<X509Certificate> prepared = Certificates.readCertificates(Files.readString(bundleFile));
    assertThat(prepared).hasSize(4);
    assertThat(Files.readString(crlFile)).startsWith(crlBefore.strip().substring(0, 60));
    assertThat(Certificates.readCrls(Files.readString(crlFile))).hasSize(2);
    String ssldirCa = Files.readString(root.resolve("puppet/ssl/certs/ca.pem"));
    CliRunner.Run check = CliRunner.ca(root, List.of(), "check");
    assertThat(check.code())
        .as("a prepared rollover is consistent: " + check.out() + check.err())
        .isZero();
    // a CA is not moved to another store in the middle of a rollover
    try (org.voxca.testing.TestDatabase db = org.voxca.testing.TestDatabase.create()) {
      List<String> pg =
          List.of(
              "--store-user",
              org.voxca.testing.TestDatabase.USER,
              "--store-password-file",
              db.passwordFile(root).toString());
      CliRunner.Run migrate = CliRunner.ca(root, pg, "migrate", "--to-store", db.url);
      assertThat(migrate.code()).as(migrate.out() + migrate.err()).isEqualTo(1);
      assertThat(migrate.err()).contains("rollover is prepared");
    }
    assertThat(Certificates.readCertificates(ssldirCa)).as("the ssldir's copy follows").hasSize(4);

    // a crash after the record, before the bundle and CRL: the server completes the prepare
    Files.writeString(bundleFile, bundleBefore);
    Files.writeString(crlFile, crlBefore);
    try (TestServer server = TestServer.builder(root).start()) {
      assertThat(server.caBundle()).hasSize(4);
      try (RawTls tls = RawTls.open(server.port(), List.of(prepared.get(0)), null)) {
        assertThat(tls.peerChain())
            .as("the server sends the path to the current CA, not the whole bundle")
            .hasSize(2)
            .endsWith(prepared.get(0));
      }
      assertThat(server.crlChain()).hasSize(2);
    }

    // a crash during an abort: the server finishes it
    Files.writeString(
        cadir.resolve("rollover/stage"),
        Files.readString(cadir.resolve("rollover/stage")).replace("prepared", "aborting"));
    try (TestServer server = TestServer.builder(root).start()) {
      assertThat(server.caBundle()).hasSize(1);
      assertThat(server.crlChain()).hasSize(1);
    }
    assertThat(cadir.resolve("rollover/stage")).doesNotExist();
    assertThat(cadir.resolve("rollover/next_key.pem")).doesNotExist();
    assertThat(Files.readString(bundleFile)).isEqualTo(bundleBefore);

    CliRunner.Run status = CliRunner.ca(root, List.of(), "rollover", "status");
    assertThat(status.code()).isZero();
    assertThat(status.out()).contains("Rollover: none").doesNotContain("Next CA");
    CliRunner.Run abort = CliRunner.ca(root, List.of(), "rollover", "abort");
    assertThat(abort.code()).isEqualTo(1);
    assertThat(abort.err()).contains("No rollover is under way");
  }

  private static X509Certificate submit(TestServer server, String name) {
    assertThat(
            server
                .anonymous()
                .put(
                    "/puppet-ca/v1/certificate_request/" + name,
                    org.voxca.testing.TestPki.csr(name).pem())
                .statusCode())
        .isEqualTo(200);
    return Certificates.readCertificates(
            server.anonymous().get("/puppet-ca/v1/certificate/" + name).body())
        .get(0);
  }

  @Test
  void finishOfflineRefusesWhileCurrentCertificatesAreValidThenLeavesOneGeneration()
      throws Exception {
    Path root = dir.resolve("finish");
    Path cadir;
    X509Certificate next;
    X509Certificate newLeaf;
    try (TestServer server = TestServer.builder(root).autosign("true").start()) {
      cadir = server.cadir();
      submit(server, "old.test");
      server.rolloverAction("prepare");
      server.rolloverAction("activate");
      assertThat(server.rollover("{\"action\":\"finish\"}").statusCode())
          .as("finish runs with the server stopped")
          .isEqualTo(409);
      next = server.caBundle().get(1);
      newLeaf = submit(server, "new.test");
      assertThat(newLeaf.getIssuerX500Principal()).isEqualTo(next.getSubjectX500Principal());
      CliRunner.Run online =
          CliRunner.ca(
              root,
              List.of("--server-url", "https://127.0.0.1:" + server.port()),
              "rollover",
              "finish");
      assertThat(online.code()).as(online.out() + online.err()).isEqualTo(1);
      assertThat(online.err()).contains("server stopped");
    }
    CliRunner.Run refused = CliRunner.ca(root, List.of(), "rollover", "finish");
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err()).contains("1 certificate(s) of the current CA").contains("old.test");
    assertThat(cadir.resolve("rollover/stage")).exists();
    assertThat(Certificates.readCertificates(Files.readString(cadir.resolve("ca_crt.pem"))))
        .hasSize(4);

    try (TestServer server = TestServer.builder(root).start()) {
      CliRunner.Run revoke =
          CliRunner.ca(
              root,
              List.of("--server-url", "https://127.0.0.1:" + server.port()),
              "revoke",
              "--certname",
              "old.test");
      assertThat(revoke.code()).as(revoke.out() + revoke.err()).isZero();
    }
    CliRunner.Run finish = CliRunner.ca(root, List.of(), "rollover", "finish");
    assertThat(finish.code()).as(finish.out() + finish.err()).isZero();
    assertThat(finish.out()).contains("Rollover: none").contains("retired CA key remains");
    assertThat(Certificates.readCertificates(Files.readString(cadir.resolve("ca_crt.pem"))))
        .containsExactly(next);
    var crls = Certificates.readCrls(Files.readString(cadir.resolve("ca_crl.pem")));
    assertThat(crls).hasSize(1);
    crls.get(0).verify(next.getPublicKey());
    assertThat(
            org.voxca.pki.PublicKeys.same(
                org.voxca.pki.Keys.readKeyPair(Files.readString(cadir.resolve("ca_key.pem")))
                    .getPublic(),
                next.getPublicKey()))
        .isTrue();
    assertThat(Files.getPosixFilePermissions(cadir.resolve("rollover/retired_ca_key.pem")))
        .doesNotContain(PosixFilePermission.OTHERS_READ);
    assertThat(cadir.resolve("rollover/stage")).doesNotExist();
    assertThat(cadir.resolve("rollover/next_key.pem")).doesNotExist();

    try (TestServer server = TestServer.builder(root).autosign("true").start()) {
      assertThat(server.caBundle()).containsExactly(next);
      try (RawTls tls = RawTls.open(server.port(), List.of(next), null)) {
        assertThat(tls.peerChain()).hasSize(2).endsWith(next);
      }
      assertThat(
              server
                  .client(newLeaf, org.voxca.testing.TestPki.ecKey().getPrivate())
                  .get("/puppet-ca/v1/certificate/new.test")
                  .statusCode())
          .isEqualTo(200);
      assertThat(submit(server, "after.test").getIssuerX500Principal())
          .isEqualTo(next.getSubjectX500Principal());
    }
  }

  @Test
  void aFinishInterruptedByACrashIsCompletedAtStart() throws Exception {
    Path root = dir.resolve("crashed-finish");
    Path cadir;
    try (TestServer server = TestServer.builder(root).start()) {
      cadir = server.cadir();
    }
    assertThat(CliRunner.ca(root, List.of(), "rollover", "prepare").code()).isZero();
    assertThat(CliRunner.ca(root, List.of(), "rollover", "activate").code()).isZero();
    X509Certificate next =
        Certificates.readCertificates(Files.readString(cadir.resolve("rollover/next_crt.pem")))
            .get(0);
    Files.writeString(
        cadir.resolve("rollover/stage"),
        Files.readString(cadir.resolve("rollover/stage")).replace("active", "finishing"));
    try (TestServer server = TestServer.builder(root).start()) {
      assertThat(server.caBundle()).containsExactly(next);
      try (RawTls tls = RawTls.open(server.port(), List.of(next), null)) {
        assertThat(tls.peerChain()).hasSize(2).endsWith(next);
      }
    }
    assertThat(cadir.resolve("rollover/stage")).doesNotExist();
  }

  @Test
  void theNextCrlCloseToItsNextUpdateIsResignedWithItsEntries() throws Exception {
    Path root = dir.resolve("next-crl");
    Path cadir;
    try (TestServer server = TestServer.builder(root).start()) {
      cadir = server.cadir();
    }
    assertThat(CliRunner.ca(root, List.of(), "rollover", "prepare").code()).isZero();
    X509Certificate next =
        Certificates.readCertificates(Files.readString(cadir.resolve("rollover/next_crt.pem")))
            .get(0);
    java.security.KeyPair key =
        org.voxca.pki.Keys.readKeyPair(Files.readString(cadir.resolve("rollover/next_key.pem")));
    org.voxca.pki.Issuer nextIssuer =
        new org.voxca.pki.Issuer(next, key.getPrivate(), List.of(next));
    var chain = Certificates.readCrls(Files.readString(cadir.resolve("ca_crl.pem")));
    java.math.BigInteger revoked = java.math.BigInteger.valueOf(4242);
    var soon =
        org.voxca.pki.CrlBuilder.build(
            nextIssuer,
            java.time.Instant.now().minus(java.time.Duration.ofDays(300)),
            java.time.Instant.now().plus(java.time.Duration.ofDays(10)),
            java.math.BigInteger.valueOf(7),
            chain.get(1),
            java.util.Map.of(revoked, java.time.Instant.now()));
    Files.writeString(cadir.resolve("ca_crl.pem"), org.voxca.pki.Pem.encode(chain.get(0), soon));
    try (TestServer server = TestServer.builder(root).start()) {
      var served = server.crlChain();
      assertThat(served).hasSize(2);
      var crl = served.get(1);
      crl.verify(next.getPublicKey());
      assertThat(crl.getNextUpdate().toInstant())
          .isAfter(java.time.Instant.now().plus(java.time.Duration.ofDays(300)));
      assertThat(org.voxca.pki.CrlBuilder.number(crl)).isEqualTo(java.math.BigInteger.valueOf(8));
      assertThat(crl.getRevokedCertificate(revoked)).isNotNull();
    }
  }
}
