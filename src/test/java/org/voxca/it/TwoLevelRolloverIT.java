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
    HttpResponse<String> r =
        s.admin()
            .send(
                "POST",
                "/voxca/v1/ca_rollover",
                "{\"action\":\"" + action + "\"}",
                "Content-Type",
                "application/json");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
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
      List<X509CRL> crls =
          Certificates.readCrls(
              s.anonymous().get("/puppet-ca/v1/certificate_revocation_list/ca").body());
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
}
