package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.pki.Certificates;
import org.voxca.testing.CliRunner;
import org.voxca.testing.RawTls;
import org.voxca.testing.TestClient;
import org.voxca.testing.TestPki;
import org.voxca.testing.TestServer;

/**
 * A rollover of a two-level CA's intermediate under the same root: the next intermediate is signed
 * by the root, so a client that trusts only the root verifies both generations at every stage — and
 * after finish, the server's new chain too.
 */
class TwoLevelRolloverIT {
  private static final String HOCON =
      "voxca { ca-chain: two-level }\ncertificate-authority { allow-auto-renewal: true }";
  @TempDir Path dir;

  static X509Certificate submit(TestServer s, String name) {
    assertThat(
            s.anonymous()
                .put("/puppet-ca/v1/certificate_request/" + name, TestPki.csr(name).pem())
                .statusCode())
        .isEqualTo(200);
    return Certificates.readCertificates(
            s.anonymous().get("/puppet-ca/v1/certificate/" + name).body())
        .get(0);
  }

  static void act(TestServer s, String action) {
    s.rolloverAction(action);
  }

  static HttpResponse<String> post(TestServer s, String body) {
    return s.rollover(body);
  }

  @Test
  void theIntermediateRollsUnderItsRootAndRootOnlyClientsNeverNotice() throws Exception {
    Path root = dir.resolve("server");
    X509Certificate rootCa;
    X509Certificate next;
    X509Certificate renewed;
    KeyPair agentKey = TestPki.ecKey();
    try (TestServer s = TestServer.builder(root).autosign("true").hocon(HOCON).start()) {
      List<X509Certificate> before = s.caBundle();
      assertThat(before).hasSize(2);
      X509Certificate intermediate = before.get(0);
      rootCa = before.get(1);
      X509Certificate oldLeaf = submit(s, "old.test");

      act(s, "prepare");
      List<X509Certificate> prepared = s.caBundle();
      assertThat(prepared).hasSize(3).startsWith(intermediate, rootCa);
      next = prepared.get(2);
      assertThat(next.getIssuerX500Principal()).isEqualTo(rootCa.getSubjectX500Principal());
      next.verify(rootCa.getPublicKey());
      List<X509CRL> crls = s.crlChain();
      assertThat(crls).hasSize(3);
      assertThat(crls.get(2).getIssuerX500Principal()).isEqualTo(next.getSubjectX500Principal());

      act(s, "activate");
      X509Certificate newLeaf = submit(s, "new.test");
      assertThat(newLeaf.getIssuerX500Principal()).isEqualTo(next.getSubjectX500Principal());
      assertThat(TestPki.pkixVerifies(List.of(newLeaf, next), rootCa)).isTrue();
      assertThat(TestPki.pkixVerifies(List.of(oldLeaf, intermediate), rootCa)).isTrue();
      TestClient rootOnly =
          new TestClient(s.port(), List.of(rootCa), newLeaf, TestPki.ecKey().getPrivate());
      assertThat(rootOnly.get("/puppet-ca/v1/certificate/new.test").statusCode()).isEqualTo(200);

      TestClient old = new TestClient(s.port(), List.of(rootCa), oldLeaf, agentKey.getPrivate());
      HttpResponse<String> r = old.send("POST", "/puppet-ca/v1/certificate_renewal", "");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      renewed = Certificates.readCertificates(r.body()).get(0);
      assertThat(renewed.getIssuerX500Principal()).isEqualTo(next.getSubjectX500Principal());
    }

    CliRunner.Run finish = CliRunner.ca(root, List.of(), "rollover", "finish");
    assertThat(finish.code()).as(finish.out() + finish.err()).isZero();
    Path cadir = root.resolve("puppetserver/ca");
    assertThat(Certificates.readCertificates(Files.readString(cadir.resolve("ca_crt.pem"))))
        .containsExactly(next, rootCa);
    List<X509CRL> chain = Certificates.readCrls(Files.readString(cadir.resolve("ca_crl.pem")));
    assertThat(chain.stream().map(X509CRL::getIssuerX500Principal))
        .containsExactly(next.getSubjectX500Principal(), rootCa.getSubjectX500Principal());

    try (TestServer s = TestServer.builder(root).autosign("true").hocon(HOCON).start()) {
      try (RawTls tls = RawTls.open(s.port(), List.of(rootCa), null)) {
        assertThat(tls.peerChain()).containsExactly(tls.peerChain()[0], next, rootCa);
      }
      TestClient rootOnly =
          new TestClient(s.port(), List.of(rootCa), renewed, agentKey.getPrivate());
      assertThat(rootOnly.get("/puppet-ca/v1/certificate/old.test").statusCode()).isEqualTo(200);
      assertThat(submit(s, "after.test").getIssuerX500Principal())
          .isEqualTo(next.getSubjectX500Principal());
    }
  }

  @Test
  void theRootRollsTooCrossCertifiedSoRootOnlyClientsOfEitherRootVerifyBothGenerations()
      throws Exception {
    Path root = dir.resolve("roots");
    Path cadir = root.resolve("puppetserver/ca");
    X509Certificate oldRoot;
    X509Certificate nextCa;
    X509Certificate nextRoot;
    X509Certificate renewed;
    KeyPair agentKey = TestPki.ecKey();
    try (TestServer s = TestServer.builder(root).autosign("true").hocon(HOCON).start()) {
      List<X509Certificate> before = s.caBundle();
      X509Certificate intermediate = before.get(0);
      oldRoot = before.get(1);
      X509Certificate oldLeaf = submit(s, "old.test");
      String bundleBefore = Files.readString(cadir.resolve("ca_crt.pem"));
      String crlBefore = Files.readString(cadir.resolve("ca_crl.pem"));

      assertThat(post(s, "{\"action\":\"prepare\",\"root\":\"yes\"}").statusCode()).isEqualTo(400);
      HttpResponse<String> nameOnly =
          post(s, "{\"action\":\"prepare\",\"root_name\":\"Other Root\"}");
      assertThat(nameOnly.statusCode()).isEqualTo(400);
      assertThat(nameOnly.body()).contains("root: true");
      HttpResponse<String> clash =
          post(s, "{\"action\":\"prepare\",\"root\":true,\"root_name\":\"" + cn(oldRoot) + "\"}");
      assertThat(clash.statusCode()).isEqualTo(400);
      assertThat(clash.body()).contains("already in the CA bundle");
      assertThat(Files.readString(cadir.resolve("ca_crt.pem"))).isEqualTo(bundleBefore);
      assertThat(Files.exists(cadir.resolve("rollover"))).isFalse();

      // prepared, then aborted: back to the one root, the next root's key gone
      act(s, "{\"action\":\"prepare\",\"root\":true}", true);
      assertThat(Files.exists(cadir.resolve("rollover/next_root_key.pem"))).isTrue();
      act(s, "abort");
      assertThat(Files.readString(cadir.resolve("ca_crt.pem"))).isEqualTo(bundleBefore);
      assertThat(issuers(Files.readString(cadir.resolve("ca_crl.pem"))))
          .isEqualTo(issuers(crlBefore));
      assertThat(Files.exists(cadir.resolve("rollover/next_root_key.pem"))).isFalse();

      HttpResponse<String> prepared =
          post(s, "{\"action\":\"prepare\",\"root\":true,\"root_name\":\"Fleet Root 2027\"}");
      assertThat(prepared.statusCode()).as(prepared.body()).isEqualTo(200);
      assertThat(prepared.body()).contains("\"next_root\":{\"subject\":\"CN=Fleet Root 2027\"");
      List<X509Certificate> bundle = s.caBundle();
      assertThat(bundle).hasSize(6).startsWith(intermediate, oldRoot);
      nextCa = bundle.get(2);
      nextRoot = bundle.get(3);
      assertThat(cn(nextRoot)).isEqualTo("Fleet Root 2027");
      nextRoot.verify(nextRoot.getPublicKey());
      nextCa.verify(nextRoot.getPublicKey());
      assertThat(nextCa.getPublicKey()).isNotEqualTo(intermediate.getPublicKey());
      X509Certificate nextByOld = bundle.get(4);
      X509Certificate oldByNext = bundle.get(5);
      nextByOld.verify(oldRoot.getPublicKey());
      assertThat(nextByOld.getPublicKey()).isEqualTo(nextRoot.getPublicKey());
      oldByNext.verify(nextRoot.getPublicKey());
      assertThat(oldByNext.getPublicKey()).isEqualTo(oldRoot.getPublicKey());
      assertThat(issuers(s.anonymous().get("/puppet-ca/v1/certificate_revocation_list/ca").body()))
          .containsExactly(
              intermediate.getSubjectX500Principal(),
              oldRoot.getSubjectX500Principal(),
              nextCa.getSubjectX500Principal(),
              nextRoot.getSubjectX500Principal());
      try (RawTls tls = RawTls.open(s.port(), List.of(oldRoot), null)) {
        assertThat(tls.peerChain()).containsExactly(tls.peerChain()[0], intermediate, oldRoot);
      }

      act(s, "activate");
      X509Certificate newLeaf = submit(s, "new.test");
      assertThat(newLeaf.getIssuerX500Principal()).isEqualTo(nextCa.getSubjectX500Principal());
      // either root alone verifies either generation, through the cross-certificates
      assertThat(TestPki.pkixVerifies(List.of(newLeaf, nextCa), nextRoot)).isTrue();
      assertThat(TestPki.pkixVerifies(List.of(newLeaf, nextCa, nextByOld), oldRoot)).isTrue();
      assertThat(TestPki.pkixVerifies(List.of(oldLeaf, intermediate), oldRoot)).isTrue();
      assertThat(TestPki.pkixVerifies(List.of(oldLeaf, intermediate, oldByNext), nextRoot))
          .isTrue();
      assertThat(TestPki.pkixVerifies(List.of(newLeaf, nextCa), oldRoot)).isFalse();
      TestClient newAgent =
          new TestClient(s.port(), List.of(oldRoot), newLeaf, agentKey.getPrivate());
      assertThat(newAgent.get("/puppet-ca/v1/certificate/new.test").statusCode()).isEqualTo(200);

      TestClient old = new TestClient(s.port(), List.of(oldRoot), oldLeaf, agentKey.getPrivate());
      HttpResponse<String> r = old.send("POST", "/puppet-ca/v1/certificate_renewal", "");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      renewed = Certificates.readCertificates(r.body()).get(0);
      assertThat(renewed.getIssuerX500Principal()).isEqualTo(nextCa.getSubjectX500Principal());

      // a revocation of the next generation lands on the next CA's CRL; the server refuses it
      assertThat(
              s.admin()
                  .send(
                      "PUT",
                      "/puppet-ca/v1/certificate_status/new.test",
                      "{\"desired_state\":\"revoked\"}",
                      "Content-Type",
                      "application/json")
                  .statusCode())
          .isEqualTo(204);
      X509CRL nextCrl = s.crlChain().get(2);
      nextCrl.verify(nextCa.getPublicKey());
      assertThat(nextCrl.isRevoked(newLeaf)).isTrue();
      assertThat(newAgent.get("/puppet-ca/v1/certificate/new.test").statusCode()).isNotEqualTo(200);
    }

    CliRunner.Run finish = CliRunner.ca(root, List.of(), "rollover", "finish");
    assertThat(finish.code()).as(finish.out() + finish.err()).isZero();
    assertThat(finish.out()).contains("retired_root_key.pem");
    assertThat(Certificates.readCertificates(Files.readString(cadir.resolve("ca_crt.pem"))))
        .containsExactly(nextCa, nextRoot);
    assertThat(issuers(Files.readString(cadir.resolve("ca_crl.pem"))))
        .containsExactly(nextCa.getSubjectX500Principal(), nextRoot.getSubjectX500Principal());
    assertThat(
            org.voxca.pki.Keys.readKeyPair(Files.readString(cadir.resolve("root_key.pem")))
                .getPublic())
        .isEqualTo(nextRoot.getPublicKey());
    assertThat(
            org.voxca.pki.Keys.readKeyPair(
                    Files.readString(cadir.resolve("rollover/retired_root_key.pem")))
                .getPublic())
        .isEqualTo(oldRoot.getPublicKey());
    assertThat(Files.exists(cadir.resolve("rollover/next_root_key.pem"))).isFalse();

    try (TestServer s = TestServer.builder(root).autosign("true").hocon(HOCON).start()) {
      try (RawTls tls = RawTls.open(s.port(), List.of(nextRoot), null)) {
        assertThat(tls.peerChain()).containsExactly(tls.peerChain()[0], nextCa, nextRoot);
      }
      TestClient agent =
          new TestClient(s.port(), List.of(nextRoot), renewed, agentKey.getPrivate());
      assertThat(agent.get("/puppet-ca/v1/certificate/old.test").statusCode()).isEqualTo(200);
      assertThat(submit(s, "after.test").getIssuerX500Principal())
          .isEqualTo(nextCa.getSubjectX500Principal());
      String status = s.admin().get("/voxca/v1/ca_rollover").body();
      assertThat(status)
          .contains("\"stage\":\"none\"")
          .contains("\"subject\":\"" + nextCa.getSubjectX500Principal().getName() + "\"")
          .contains("\"next_root\":null");
    }
  }

  static void act(TestServer s, String body, boolean raw) {
    HttpResponse<String> r = post(s, body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  static String cn(X509Certificate c) {
    return org.voxca.pki.Certificates.commonName(c);
  }

  static List<javax.security.auth.x500.X500Principal> issuers(String crlPem) {
    return Certificates.readCrls(crlPem).stream().map(X509CRL::getIssuerX500Principal).toList();
  }
}
