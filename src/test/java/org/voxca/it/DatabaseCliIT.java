package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.pki.Certificates;
import org.voxca.testing.Await;
import org.voxca.testing.CliRunner;
import org.voxca.testing.TestDatabase;
import org.voxca.testing.TestPki;
import org.voxca.testing.TestServer;

/**
 * The offline {@code voxca ca} verbs on the database replicas share, with a replica running: {@code
 * check} finds what an outside edit or a crash can leave (a certificate missing from the inventory,
 * a serial sequence behind, an expired lease, a row holding another name's certificate, a key that
 * is not the CA's) and repairs what it safely can; {@code prune} and {@code extend} change the CA
 * and the running replica serves the change at once; {@code setup} refuses a database holding a CA.
 */
class DatabaseCliIT {
  private static final String CA = "/puppet-ca/v1/";
  @TempDir static Path root;
  static TestDatabase db;
  static TestServer server;
  static List<String> config;

  @BeforeAll
  static void start() throws Exception {
    db = TestDatabase.create();
    Path autosign = Files.createDirectories(root).resolve("autosign.conf");
    Files.writeString(autosign, "*.auto.test\n");
    server = TestServer.builder(root).autosign(autosign.toString()).hocon(db.hocon(root)).start();
    config = List.of("--config", root.resolve("voxca.conf").toString());
  }

  @AfterAll
  static void stop() {
    try {
      if (server != null) {
        server.close();
      }
    } finally {
      if (db != null) {
        db.close();
      }
    }
  }

  private static CliRunner.Run ca(String... args) {
    return CliRunner.ca(root, config, args);
  }

  private static X509Certificate bootstrap(String name) {
    assertThat(
            server
                .anonymous()
                .put(CA + "certificate_request/" + name, TestPki.csr(name).pem())
                .statusCode())
        .isEqualTo(200);
    return Certificates.readCertificates(server.anonymous().get(CA + "certificate/" + name).body())
        .get(0);
  }

  private static void sql(String... statements) throws Exception {
    try (Connection c = db.connect();
        Statement s = c.createStatement()) {
      for (String st : statements) {
        s.execute(st);
      }
    }
  }

  @Test
  void checkFindsAndRepairsWhatTheDatabaseCanBeLeftWith() throws Exception {
    CliRunner.Run clean = ca("check");
    assertThat(clean.code()).as(clean.out() + clean.err()).isZero();
    assertThat(clean.out()).contains("The CA in " + db.url + " is consistent.");

    X509Certificate one = bootstrap("one.auto.test");
    X509Certificate two = bootstrap("two.auto.test");
    X509Certificate three = bootstrap("three.auto.test");
    String threePem;
    try (Connection c = db.connect();
        var rs =
            c.createStatement()
                .executeQuery("SELECT pem FROM certificates WHERE name = 'three.auto.test'")) {
      rs.next();
      threePem = new String(rs.getBytes(1), java.nio.charset.StandardCharsets.US_ASCII);
    }
    sql(
        "DELETE FROM inventory WHERE serial = " + one.getSerialNumber(),
        "SELECT setval('serials', 2)",
        "INSERT INTO name_locks VALUES ('stuck.test', 'gone', now() - interval '1 minute')",
        "UPDATE certificates SET pem = (SELECT pem FROM certificates WHERE name ="
            + " 'two.auto.test') WHERE name = 'three.auto.test'");

    CliRunner.Run found = ca("check");
    assertThat(found.code()).as(found.out()).isEqualTo(1);
    assertThat(found.out())
        .contains(
            "problem: the certificate of one.auto.test (serial "
                + one.getSerialNumber().toString(16)
                + ") is not in the inventory",
            "problem: the serial sequence would issue 3, already issued (highest "
                + three.getSerialNumber().max(two.getSerialNumber()).toString(16),
            "problem: an expired lease on stuck.test",
            "problem: the certificate of three.auto.test does not have the serial its row records")
        .doesNotContain("repaired:");

    CliRunner.Run repaired = ca("check", "--repair");
    assertThat(repaired.code()).as(repaired.out()).isZero();
    assertThat(repaired.out())
        .contains(
            "repaired: added serial " + one.getSerialNumber().toString(16) + " to the inventory",
            "repaired: the serial sequence moved past",
            "repaired: removed 1 expired lease(s)");
    // what no repair can decide stays a problem until the operator fixes it
    CliRunner.Run still = ca("check");
    assertThat(still.code()).isEqualTo(1);
    assertThat(still.out())
        .contains("three.auto.test does not have the serial")
        .doesNotContain("one.auto.test", "sequence", "lease");
    try (Connection c = db.connect();
        var ps = c.prepareStatement("UPDATE certificates SET pem = ? WHERE name = ?")) {
      ps.setBytes(1, threePem.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      ps.setString(2, "three.auto.test");
      ps.executeUpdate();
    }
    assertThat(ca("check").code()).isZero();
    // the repaired sequence issues a serial never issued before
    BigInteger next = bootstrap("four.auto.test").getSerialNumber();
    assertThat(next).isGreaterThan(three.getSerialNumber());
  }

  @Test
  void checkRefusesAKeyThatIsNotTheCas() throws Exception {
    Path other = root.resolve("other");
    Files.createDirectories(other.resolve("puppetserver/ca"));
    Files.writeString(
        other.resolve("puppetserver/ca/ca_key.pem"),
        org.voxca.pki.Pem.encode(TestPki.freshEcKey().getPrivate()));
    CliRunner.Run r =
        CliRunner.ca(other, List.of("--config", root.resolve("voxca.conf").toString()), "check");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("is not the key of the CA certificate in the database");
    CliRunner.Run none =
        CliRunner.ca(
            root.resolve("empty"),
            List.of("--config", root.resolve("voxca.conf").toString()),
            "check");
    assertThat(none.code()).isEqualTo(1);
    assertThat(none.err()).contains("no complete CA in " + db.url, "ca_key.pem");
  }

  @Test
  void pruneOnTheDatabaseReachesTheRunningReplica() throws Exception {
    X509Certificate gone = bootstrap("pruned.auto.test");
    assertThat(
            server
                .admin()
                .put(CA + "certificate_status/pruned.auto.test", "{\"desired_state\":\"revoked\"}")
                .statusCode())
        .isEqualTo(204);
    assertThat(servedCrl().getRevokedCertificate(gone.getSerialNumber())).isNotNull();
    CliRunner.Run r = ca("prune", "--remove-entries", "--certname", "pruned.auto.test");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("Removed 1 certs from Puppet's CRL.");
    Await.until(
        Duration.ofSeconds(2),
        "the replica serves the pruned CRL",
        () -> servedCrl().getRevokedCertificate(gone.getSerialNumber()) == null);
  }

  @Test
  void extendOnTheDatabaseReachesTheRunningReplica() throws Exception {
    X509Certificate before = servedCa();
    CliRunner.Run r = ca("extend", "--ttl", "30y");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("Extended the CA certificate; valid until");
    Await.until(
        Duration.ofSeconds(2),
        "the replica serves the extended CA certificate",
        () -> servedCa().getNotAfter().after(before.getNotAfter()));
    assertThat(servedCa().getPublicKey()).isEqualTo(before.getPublicKey());
    assertThat(bootstrap("after-extend.auto.test").getIssuerX500Principal())
        .isEqualTo(before.getSubjectX500Principal());
  }

  @Test
  void deleteOnTheDatabaseRemovesTheCertificateTheReplicaServed() {
    bootstrap("deleted.auto.test");
    CliRunner.Run r = ca("delete", "--certname", "deleted.auto.test");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains(
            "Deleting certificate at " + db.url + " (certificates: deleted.auto.test)",
            "1 certificate deleted.");
    assertThat(server.anonymous().get(CA + "certificate/deleted.auto.test").statusCode())
        .isEqualTo(404);
    CliRunner.Run again = ca("delete", "--certname", "deleted.auto.test");
    assertThat(again.err())
        .contains(
            "Could not find certificate file at " + db.url + " (certificates: deleted.auto.test)");
  }

  @Test
  void setupRefusesADatabaseHoldingACa() {
    CliRunner.Run r = ca("setup");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("CA files already exist in " + db.url);
  }

  private static X509CRL servedCrl() {
    return Certificates.readCrls(
            server.anonymous().get(CA + "certificate_revocation_list/ca").body())
        .get(0);
  }

  private static X509Certificate servedCa() {
    return Certificates.readCertificates(server.anonymous().get(CA + "certificate/ca").body())
        .get(0);
  }
}
