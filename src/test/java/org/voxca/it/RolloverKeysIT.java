package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.pki.Certificates;
import org.voxca.pki.TokenReference;
import org.voxca.testing.CliRunner;
import org.voxca.testing.RawTls;
import org.voxca.testing.Secrets;
import org.voxca.testing.SoftHsm;
import org.voxca.testing.TestDatabase;
import org.voxca.testing.TestPki;
import org.voxca.testing.TestServer;

/**
 * A rollover where the CA key is not a plain file: encrypted and shared by two PostgreSQL replicas
 * through the database (no file to copy, at any stage: the second replica signs with the next key
 * at once and, after finish, starts with its own certificate re-issued), and in a PKCS#11 token
 * (the next key made inside it, the CA directory holding only references).
 */
class RolloverKeysIT {
  @TempDir Path root;

  static void act(TestServer s, String action) {
    s.rolloverAction(action);
  }

  static X509Certificate signed(TestServer s, String name) {
    assertThat(
            s.anonymous()
                .put("/puppet-ca/v1/certificate_request/" + name, TestPki.csr(name).pem())
                .statusCode())
        .isEqualTo(200);
    return Certificates.readCertificates(
            s.anonymous().get("/puppet-ca/v1/certificate/" + name).body())
        .get(0);
  }

  private String encrypted(TestDatabase db, Path dir, Path pass) {
    return db.hocon(dir)
        + "voxca { ca-key { type: encrypted, passphrase-file: \""
        + pass
        + "\" } }\n";
  }

  @Test
  void encryptedKeysOnTwoReplicasNeedNoFileAtAnyStage() throws Exception {
    Path pass = Secrets.passphraseFile(root.resolve("pass"), "rolled by both");
    Path a = root.resolve("a");
    Path b = root.resolve("b");
    X509Certificate next;
    try (TestDatabase db = TestDatabase.create()) {
      try (TestServer ra =
              TestServer.builder(a).autosign("true").hocon(encrypted(db, a, pass)).start();
          TestServer rb =
              TestServer.builder(b).autosign("true").hocon(encrypted(db, b, pass)).start()) {
        act(ra, "prepare");
        act(ra, "activate");
        next = ra.caBundle().get(1);
        assertThat(ra.cadir().resolve("next_key.pem")).doesNotExist();
        assertThat(rb.cadir().resolve("next_key.pem")).doesNotExist();
        // B follows the stage within a second: until then it still signs with the current key
        java.util.concurrent.atomic.AtomicInteger n =
            new java.util.concurrent.atomic.AtomicInteger();
        org.voxca.testing.Await.until(
            java.time.Duration.ofSeconds(5),
            "B signs with the next key, read sealed from the database",
            () -> {
              String name = "on-b-" + n.incrementAndGet() + ".test";
              return signed(rb, name)
                  .getIssuerX500Principal()
                  .equals(next.getSubjectX500Principal());
            });
        X509Certificate onB =
            Certificates.readCertificates(
                    ra.anonymous()
                        .get("/puppet-ca/v1/certificate/on-b-" + n.get() + ".test")
                        .body())
                .get(0);
        onB.verify(next.getPublicKey());
      }
      // both stopped: finish on A's configuration
      finishThenStartEach(db, pass, "", List.of(a, b), List.of(next));
    }
  }

  /**
   * Finishes the rollover on the first replica's configuration (plus {@code extra}), every replica
   * stopped; then starts each in turn: it serves {@code bundle}, its own certificate re-issued
   * under the new CA (the chain it sends is that bundle), and signs with the new CA.
   */
  private void finishThenStartEach(
      TestDatabase db, Path pass, String extra, List<Path> replicas, List<X509Certificate> bundle)
      throws Exception {
    Path conf = root.resolve(replicas.get(0).getFileName() + ".conf");
    Files.writeString(conf, encrypted(db, replicas.get(0), pass) + extra);
    CliRunner.Run finish =
        CliRunner.ca(
            replicas.get(0), List.of("--config", conf.toString()), "rollover", "finish", "--force");
    assertThat(finish.code()).as(finish.out() + finish.err()).isZero();
    X509Certificate ca = bundle.get(0);
    for (Path replica : replicas) {
      try (TestServer r =
          TestServer.builder(replica)
              .autosign("true")
              .hocon(encrypted(db, replica, pass) + extra)
              .start()) {
        assertThat(r.caBundle()).containsExactlyElementsOf(bundle);
        try (RawTls tls = RawTls.open(r.port(), List.of(bundle.get(bundle.size() - 1)), null)) {
          List<java.security.cert.Certificate> sent = List.of(tls.peerChain());
          assertThat(sent.subList(1, sent.size()))
              .as(replica + " serves its certificate under the new CA")
              .containsExactlyElementsOf(bundle);
          sent.get(0).verify(ca.getPublicKey());
        }
        signed(r, "after-" + replica.getFileName() + ".test").verify(ca.getPublicKey());
      }
    }
  }

  @Test
  void aTwoLevelCaRollsItsRootOnTwoEncryptedReplicasThatAgreeAtEveryStage() throws Exception {
    Path pass = Secrets.passphraseFile(root.resolve("pass-roots"), "two roots, one database");
    Path a = root.resolve("root-a");
    Path b = root.resolve("root-b");
    String twoLevel = "voxca { ca-chain: two-level }\n";
    X509Certificate nextCa;
    X509Certificate nextRoot;
    try (TestDatabase db = TestDatabase.create()) {
      try (TestServer ra =
              TestServer.builder(a)
                  .autosign("true")
                  .hocon(encrypted(db, a, pass) + twoLevel)
                  .start();
          TestServer rb =
              TestServer.builder(b)
                  .autosign("true")
                  .hocon(encrypted(db, b, pass) + twoLevel)
                  .start()) {
        HttpResponse<String> prepared = ra.rollover("{\"action\":\"prepare\",\"root\":true}");
        assertThat(prepared.statusCode()).as(prepared.body()).isEqualTo(200);
        assertThat(rb.caBundle()).hasSize(6).isEqualTo(ra.caBundle());
        nextCa = ra.caBundle().get(2);
        nextRoot = ra.caBundle().get(3);
        String onB = rb.admin().get("/voxca/v1/ca_rollover").body();
        assertThat(onB)
            .contains("\"stage\":\"prepared\"")
            .contains(
                "\"next_root\":{\"subject\":\"" + nextRoot.getSubjectX500Principal().getName());
        for (TestServer r : List.of(ra, rb)) {
          assertThat(r.cadir().resolve("next_root_key.pem")).doesNotExist();
          assertThat(r.cadir().resolve("next_key.pem")).doesNotExist();
        }
        act(ra, "activate");
        java.util.concurrent.atomic.AtomicInteger n =
            new java.util.concurrent.atomic.AtomicInteger();
        org.voxca.testing.Await.until(
            java.time.Duration.ofSeconds(5),
            "B signs with the next CA, under the next root",
            () ->
                signed(rb, "root-b-" + n.incrementAndGet() + ".test")
                    .getIssuerX500Principal()
                    .equals(nextCa.getSubjectX500Principal()));
        X509Certificate fromB =
            Certificates.readCertificates(
                    ra.anonymous()
                        .get("/puppet-ca/v1/certificate/root-b-" + n.get() + ".test")
                        .body())
                .get(0);
        fromB.verify(nextCa.getPublicKey());
        assertThat(TestPki.pkixVerifies(List.of(fromB, nextCa), nextRoot)).isTrue();
        assertThat(rb.anonymous().get("/puppet-ca/v1/certificate_revocation_list/ca").body())
            .isEqualTo(ra.anonymous().get("/puppet-ca/v1/certificate_revocation_list/ca").body());
      }
      finishThenStartEach(db, pass, twoLevel, List.of(a, b), List.of(nextCa, nextRoot));
    }
  }

  @Test
  void theNextKeyIsMadeInTheTokenAndTheDirectoryHoldsReferencesOnly() throws Exception {
    SoftHsm.Token token = SoftHsm.create("roll", root);
    Path dir = root.resolve("token-server");
    String hocon = token.hocon("rolled", "1s");
    X509Certificate next;
    try (TestServer s = TestServer.builder(dir).autosign("true").hocon(hocon).start()) {
      // an abort destroys the token's next key, so the next prepare can use its label again
      act(s, "prepare");
      String aborted = s.rolloverAction("abort").body();
      assertThat(aborted).contains("\"stage\":\"none\"").doesNotContain("token object");
      act(s, "prepare");
      String kept = Files.readString(s.cadir().resolve("rollover/next_key.pem"));
      assertThat(TokenReference.is(kept)).as(kept).isTrue();
      assertThat(kept).doesNotContain("PRIVATE KEY");
      act(s, "activate");
      next = s.caBundle().get(1);
      signed(s, "in-token.test").verify(next.getPublicKey());
    }
    finishWithItsOwnConfig(dir);
    assertThat(TokenReference.is(Files.readString(dir.resolve("puppetserver/ca/ca_key.pem"))))
        .isTrue();
    try (TestServer s = TestServer.builder(dir).autosign("true").hocon(hocon).start()) {
      assertThat(s.caBundle()).containsExactly(next);
      signed(s, "after.test").verify(next.getPublicKey());
    }
  }

  @Test
  void aTwoLevelCaInATokenRollsItsRootWithBothNextKeysMadeInside() throws Exception {
    SoftHsm.Token token = SoftHsm.create("rollroot", root);
    Path dir = root.resolve("token-roots");
    String hocon = token.hocon("roots", "1s") + "voxca { ca-chain: two-level }\n";
    Path cadir;
    X509Certificate nextCa;
    X509Certificate nextRoot;
    try (TestServer s = TestServer.builder(dir).autosign("true").hocon(hocon).start()) {
      cadir = s.cadir();
      assertThat(TokenReference.is(Files.readString(cadir.resolve("root_key.pem")))).isTrue();
      String prepare = "{\"action\":\"prepare\",\"root\":true}";
      assertThat(s.rollover(prepare).statusCode()).isEqualTo(200);
      String kept = Files.readString(cadir.resolve("rollover/next_root_key.pem"));
      assertThat(TokenReference.is(kept)).as(kept).isTrue();
      assertThat(TokenReference.label(kept)).isEqualTo("roots-next-root");
      // abort destroys both token objects: the same labels serve the next prepare
      assertThat(s.rolloverAction("abort").body()).doesNotContain("token object");
      HttpResponse<String> again = s.rollover(prepare);
      assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
      act(s, "activate");
      nextCa = s.caBundle().get(2);
      nextRoot = s.caBundle().get(3);
      X509Certificate leaf = signed(s, "under-next-root.test");
      leaf.verify(nextCa.getPublicKey());
      assertThat(TestPki.pkixVerifies(List.of(leaf, nextCa), nextRoot)).isTrue();
    }
    finishWithItsOwnConfig(dir);
    for (String key : List.of("ca_key.pem", "root_key.pem")) {
      String ref = Files.readString(cadir.resolve(key));
      assertThat(TokenReference.is(ref)).as(key).isTrue();
      assertThat(ref).doesNotContain("PRIVATE KEY");
    }
    assertThat(TokenReference.label(Files.readString(cadir.resolve("root_key.pem"))))
        .isEqualTo("roots-next-root");
    try (TestServer s = TestServer.builder(dir).autosign("true").hocon(hocon).start()) {
      assertThat(s.caBundle()).containsExactly(nextCa, nextRoot);
      signed(s, "after-root-roll.test").verify(nextCa.getPublicKey());
    }
  }

  /** Finishes the rollover offline, by force, with the configuration the test server wrote. */
  private static void finishWithItsOwnConfig(Path dir) {
    CliRunner.Run finish =
        CliRunner.ca(
            dir,
            List.of("--config", dir.resolve("voxca.conf").toString()),
            "rollover",
            "finish",
            "--force");
    assertThat(finish.code()).as(finish.out() + finish.err()).isZero();
  }
}
