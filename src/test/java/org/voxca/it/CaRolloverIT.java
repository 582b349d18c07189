package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.pki.Certificates;
import org.voxca.pki.PublicKeys;
import org.voxca.testing.TestClient;
import org.voxca.testing.TestPki;
import org.voxca.testing.TestServer;

/**
 * A CA key rollover through the admin API: prepare publishes a next generation (its own name and
 * key, cross-certified both ways) in the bundle and CRL chain after the current one, which keeps
 * signing; abort restores the bundle and chain as they were. Bad requests and the wrong stage
 * change nothing.
 */
class CaRolloverIT {
  private static final String API = "/voxca/v1/ca_rollover";
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dir;
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server =
        TestServer.builder(dir.resolve("server"))
            .autosign("true")
            .hocon("certificate-authority { allow-auto-renewal: true }")
            .start();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  static JsonNode json(HttpResponse<String> r) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  static List<X509Certificate> bundle() {
    return Certificates.readCertificates(
        server.anonymous().get("/puppet-ca/v1/certificate/ca").body());
  }

  static List<X509CRL> crls() {
    return Certificates.readCrls(
        server
            .anonymous()
            .get("/puppet-ca/v1/certificate_revocation_list/ca")
            .body()
            .getBytes(StandardCharsets.US_ASCII));
  }

  static X509Certificate signed(String name) {
    TestClient anon = server.anonymous();
    assertThat(
            anon.put("/puppet-ca/v1/certificate_request/" + name, TestPki.csr(name).pem())
                .statusCode())
        .isEqualTo(200);
    return Certificates.readCertificates(anon.get("/puppet-ca/v1/certificate/" + name).body())
        .get(0);
  }

  @Test
  void preparePublishesTheNextGenerationAndAbortRestoresTheBundle() throws Exception {
    TestClient admin = server.admin();
    String bundleBefore = server.anonymous().get("/puppet-ca/v1/certificate/ca").body();
    String crlBefore =
        server.anonymous().get("/puppet-ca/v1/certificate_revocation_list/ca").body();
    X509Certificate current = bundle().get(0);
    X509Certificate before = signed("before.rollover.test");
    assertThat(json(admin.get(API)).path("stage").asText()).isEqualTo("none");

    JsonNode prepared =
        json(
            admin.send(
                "POST",
                API,
                "{\"action\":\"prepare\",\"key_type\":\"ec\",\"curve\":\"secp384r1\"}",
                "Content-Type",
                "application/json"));
    assertThat(prepared.path("stage").asText()).isEqualTo("prepared");
    assertThat(prepared.path("published").asBoolean()).isTrue();
    assertThat(prepared.path("next").path("subject").asText())
        .isEqualTo("CN=Puppet CA: voxca.test G2");
    assertThat(prepared.path("next").path("key").asText()).startsWith("EC 384");
    assertThat(prepared.path("current").path("subject").asText())
        .isEqualTo(current.getSubjectX500Principal().getName());

    List<X509Certificate> bundle = bundle();
    assertThat(bundle).hasSize(4);
    assertThat(bundle.get(0)).as("Puppet Server reads the first as its CA").isEqualTo(current);
    X509Certificate next = bundle.get(1);
    X509Certificate nextByCurrent = bundle.get(2);
    X509Certificate currentByNext = bundle.get(3);
    assertThat(next.getSubjectX500Principal()).isEqualTo(next.getIssuerX500Principal());
    assertThat(next.getSubjectX500Principal()).isNotEqualTo(current.getSubjectX500Principal());
    assertThat(PublicKeys.same(nextByCurrent.getPublicKey(), next.getPublicKey())).isTrue();
    assertThat(nextByCurrent.getIssuerX500Principal()).isEqualTo(current.getSubjectX500Principal());
    assertThat(PublicKeys.same(currentByNext.getPublicKey(), current.getPublicKey())).isTrue();
    assertThat(currentByNext.getIssuerX500Principal()).isEqualTo(next.getSubjectX500Principal());
    assertThat(
            Set.of(next, nextByCurrent, currentByNext).stream()
                .map(X509Certificate::getSerialNumber))
        .doesNotHaveDuplicates()
        .doesNotContain(before.getSerialNumber());
    // each generation reaches the other through its cross-certificate
    assertThat(TestPki.pkixVerifies(List.of(before), current)).isTrue();
    assertThat(TestPki.pkixVerifies(List.of(before, currentByNext), next))
        .as("a client trusting only the next CA verifies a current leaf")
        .isTrue();
    assertThat(TestPki.pkixVerifies(List.of(nextByCurrent), current)).isTrue();

    List<X509CRL> crls = crls();
    assertThat(crls).hasSize(2);
    assertThat(crls.get(0).getIssuerX500Principal()).isEqualTo(current.getSubjectX500Principal());
    assertThat(crls.get(1).getIssuerX500Principal()).isEqualTo(next.getSubjectX500Principal());
    crls.get(1).verify(next.getPublicKey());

    // the current key still signs everything; a client of the current generation still works
    X509Certificate during = signed("during.rollover.test");
    assertThat(during.getIssuerX500Principal()).isEqualTo(current.getSubjectX500Principal());
    during.verify(current.getPublicKey());
    TestClient oldAgent =
        new TestClient(server.port(), List.of(current), before, TestPki.ecKey().getPrivate());
    assertThat(oldAgent.get("/puppet-ca/v1/certificate/before.rollover.test").statusCode())
        .isEqualTo(200);

    // how many agents hold the next CA, as far as this server saw: by certname, once each
    assertThat(json(admin.get(API)).path("agents_fetched").path("bundle").asInt()).isZero();
    assertThat(oldAgent.get("/puppet-ca/v1/certificate/ca").statusCode()).isEqualTo(200);
    assertThat(oldAgent.get("/puppet-ca/v1/certificate/ca").statusCode()).isEqualTo(200);
    TestClient other = server.agent("other.rollover.test");
    assertThat(other.get("/puppet-ca/v1/certificate/ca").statusCode()).isEqualTo(200);
    assertThat(other.get("/puppet-ca/v1/certificate_revocation_list/ca").statusCode())
        .isEqualTo(200);
    server.anonymous().get("/puppet-ca/v1/certificate/ca");
    JsonNode fetched = json(admin.get(API)).path("agents_fetched");
    assertThat(fetched.path("bundle").asInt()).isEqualTo(2);
    assertThat(fetched.path("crl").asInt()).isEqualTo(1);

    HttpResponse<String> extend =
        admin.send(
            "POST",
            "/voxca/v1/ca_extension",
            "{\"ttl\":400000000}",
            "Content-Type",
            "application/json");
    assertThat(extend.statusCode())
        .as("extend would rewrite the bundle without the next CA")
        .isEqualTo(409);
    assertThat(bundle()).hasSize(4);
    HttpResponse<String> again =
        admin.send("POST", API, "{\"action\":\"prepare\"}", "Content-Type", "application/json");
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(again.body()).contains("already prepared");
    assertThat(bundle()).hasSize(4);

    JsonNode aborted =
        json(admin.send("POST", API, "{\"action\":\"abort\"}", "Content-Type", "application/json"));
    assertThat(aborted.path("stage").asText()).isEqualTo("none");
    assertThat(aborted.path("next").isNull()).isTrue();
    assertThat(json(admin.get(API)).path("agents_fetched").isNull()).isTrue();
    assertThat(server.anonymous().get("/puppet-ca/v1/certificate/ca").body())
        .isEqualTo(bundleBefore);
    assertThat(server.anonymous().get("/puppet-ca/v1/certificate_revocation_list/ca").body())
        .isEqualTo(crlBefore);
    assertThat(server.cadir().resolve("rollover/next_key.pem")).doesNotExist();
    assertThat(server.cadir().resolve("rollover/stage")).doesNotExist();
    assertThat(oldAgent.get("/puppet-ca/v1/certificate/before.rollover.test").statusCode())
        .isEqualTo(200);
    HttpResponse<String> twice =
        admin.send("POST", API, "{\"action\":\"abort\"}", "Content-Type", "application/json");
    assertThat(twice.statusCode()).isEqualTo(409);
    assertThat(twice.body()).contains("No rollover");
  }

  static HttpResponse<String> post(String action) {
    return server.rollover("{\"action\":\"" + action + "\"}");
  }

  static List<BigInteger> serials(X509CRL crl) {
    return crl.getRevokedCertificates() == null
        ? List.of()
        : crl.getRevokedCertificates().stream().map(e -> e.getSerialNumber()).toList();
  }

  @Test
  void activeTheNextKeySignsAndBothGenerationsStayTrustedRevocableAndRenewable() throws Exception {
    X509Certificate current = bundle().get(0);
    X509Certificate oldLeaf = signed("old-generation.test");
    java.security.KeyPair oldKey = TestPki.ecKey();
    assertThat(post("activate").statusCode()).as("nothing to activate").isEqualTo(409);
    assertThat(post("prepare").statusCode()).isEqualTo(200);
    X509Certificate next = bundle().get(1);

    JsonNode active = json(post("activate"));
    assertThat(active.path("stage").asText()).isEqualTo("active");
    assertThat(active.path("signing").asText()).isEqualTo("next");
    assertThat(post("activate").statusCode()).isEqualTo(409);
    assertThat(bundle().get(0)).as("the bundle keeps its order").isEqualTo(current);

    X509Certificate newLeaf = signed("new-generation.test");
    assertThat(newLeaf.getIssuerX500Principal()).isEqualTo(next.getSubjectX500Principal());
    newLeaf.verify(next.getPublicKey());
    assertThat(org.voxca.pki.KeyIds.authorityKeyIdOf(newLeaf))
        .isEqualTo(org.voxca.pki.KeyIds.subjectKeyIdOf(next));
    assertThat(TestPki.pkixVerifies(List.of(newLeaf), next)).isTrue();
    // OCSP answers for either generation, under the CA that issued the certificate
    org.voxca.testing.Ocsp.Answer forNext = ocsp(next, newLeaf);
    assertThat(forNext.certStatus()).isEqualTo("good");
    assertThat(ocspSignedUnder(forNext, next)).isTrue();
    org.voxca.testing.Ocsp.Answer forCurrent = ocsp(current, oldLeaf);
    assertThat(forCurrent.certStatus()).isEqualTo("good");
    assertThat(ocspSignedUnder(forCurrent, current)).isTrue();

    // mTLS with either generation; the server still presents its current-generation certificate
    TestClient oldClient =
        new TestClient(server.port(), List.of(current), oldLeaf, oldKey.getPrivate());
    TestClient newClient =
        new TestClient(server.port(), List.of(current), newLeaf, TestPki.ecKey().getPrivate());
    assertThat(oldClient.get("/puppet-ca/v1/certificate/old-generation.test").statusCode())
        .isEqualTo(200);
    assertThat(newClient.get("/puppet-ca/v1/certificate/new-generation.test").statusCode())
        .isEqualTo(200);

    // renewal of a current-generation certificate re-issues it under the next key
    HttpResponse<String> renewed = oldClient.send("POST", "/puppet-ca/v1/certificate_renewal", "");
    assertThat(renewed.statusCode()).as(renewed.body()).isEqualTo(200);
    X509Certificate renewedCert = Certificates.readCertificates(renewed.body()).get(0);
    assertThat(renewedCert.getIssuerX500Principal()).isEqualTo(next.getSubjectX500Principal());
    renewedCert.verify(next.getPublicKey());
    assertThat(PublicKeys.same(renewedCert.getPublicKey(), oldLeaf.getPublicKey())).isTrue();
    // and a next-generation certificate renews too
    HttpResponse<String> again = newClient.send("POST", "/puppet-ca/v1/certificate_renewal", "");
    assertThat(again.statusCode()).as(again.body()).isEqualTo(200);

    // a revocation lands on both generations' CRLs; TLS refuses the revoked client
    TestClient admin = server.admin();
    assertThat(
            admin
                .put(
                    "/puppet-ca/v1/certificate_status/new-generation.test",
                    "{\"desired_state\":\"revoked\"}",
                    "Content-Type",
                    "application/json")
                .statusCode())
        .isEqualTo(204);
    List<X509CRL> crls = crls();
    assertThat(crls).hasSize(2);
    crls.get(1).verify(next.getPublicKey());
    assertThat(serials(crls.get(1))).contains(newLeaf.getSerialNumber());
    assertThat(serials(crls.get(0))).contains(newLeaf.getSerialNumber());
    assertThat(newClient.get("/puppet-ca/v1/certificate/ca").statusCode()).isNotEqualTo(200);
    assertThat(ocsp(next, newLeaf).certStatus()).isEqualTo("revoked");

    // abort from active: the current key signs again, the next generation stays published
    JsonNode back = json(post("abort"));
    assertThat(back.path("stage").asText()).isEqualTo("prepared");
    assertThat(back.path("signing").asText()).isEqualTo("current");
    assertThat(back.path("notes").toString()).contains("Abort again");
    X509Certificate afterAbort = signed("after-abort.test");
    assertThat(afterAbort.getIssuerX500Principal()).isEqualTo(current.getSubjectX500Principal());
    TestClient renewedClient =
        new TestClient(server.port(), List.of(current), renewedCert, oldKey.getPrivate());
    assertThat(renewedClient.get("/puppet-ca/v1/certificate/ca").statusCode()).isEqualTo(200);
    // withdrawing the next CA would cut off what it signed: refused while any is valid
    HttpResponse<String> refused = post("abort");
    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(refused.body()).contains("old-generation.test").contains("of the next CA");
    HttpResponse<String> backToCurrent =
        renewedClient.send("POST", "/puppet-ca/v1/certificate_renewal", "");
    assertThat(backToCurrent.statusCode()).as(backToCurrent.body()).isEqualTo(200);
    assertThat(Certificates.readCertificates(backToCurrent.body()).get(0).getIssuerX500Principal())
        .isEqualTo(current.getSubjectX500Principal());
    assertThat(json(post("abort")).path("stage").asText()).isEqualTo("none");
    assertThat(bundle()).containsExactly(current);
  }

  static org.voxca.testing.Ocsp.Answer ocsp(X509Certificate ca, X509Certificate leaf)
      throws Exception {
    org.voxca.testing.Ocsp.Answer a =
        org.voxca.testing.Ocsp.post(
            server.port(),
            bundle(),
            org.voxca.testing.Ocsp.request(ca, List.of(leaf.getSerialNumber()), null));
    assertThat(a.http()).isEqualTo(200);
    assertThat(a.ocspStatus()).isZero();
    return a;
  }

  /** True when the response is signed by a responder certificate {@code ca} issued. */
  static boolean ocspSignedUnder(org.voxca.testing.Ocsp.Answer a, X509Certificate ca)
      throws Exception {
    var basic = a.basic();
    var responder =
        new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter()
            .getCertificate(basic.getCerts()[0]);
    responder.verify(ca.getPublicKey());
    return basic.isSignatureValid(
        new org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder()
            .build(responder.getPublicKey()));
  }

  @Test
  void badRequestsAndNonAdminsChangeNothing() throws Exception {
    TestClient admin = server.admin();
    String bundleBefore = server.anonymous().get("/puppet-ca/v1/certificate/ca").body();
    String currentName = Certificates.commonName(bundle().get(0));
    List<String> bad =
        List.of(
            "",
            "{}",
            "[]",
            "{\"action\":1}",
            "{\"action\":\"finish-everything\"}",
            "{\"action\":\"prepare\",\"key_type\":\"dsa\"}",
            "{\"action\":\"prepare\",\"key_type\":\"rsa\",\"key_length\":1024}",
            "{\"action\":\"prepare\",\"key_type\":\"rsa\",\"key_length\":\"big\"}",
            "{\"action\":\"prepare\",\"key_type\":\"rsa\",\"curve\":\"secp384r1\"}",
            "{\"action\":\"prepare\",\"key_type\":\"ec\",\"curve\":\"brainpoolP256r1\"}",
            "{\"action\":\"prepare\",\"key_type\":\"ec\",\"key_length\":256}",
            "{\"action\":\"prepare\",\"key_length\":2048}",
            "{\"action\":\"prepare\",\"ca_name\":\"" + "x".repeat(65) + "\"}",
            "{\"action\":\"prepare\",\"ca_name\":\" padded\"}",
            "{\"action\":\"prepare\",\"ca_name\":\"new\\nline\"}",
            "{\"action\":\"prepare\",\"ca_name\":7}",
            "{\"action\":\"prepare\",\"ca_name\":\"" + currentName + "\"}",
            "{\"action\":\"prepare\",\"root\":1}",
            "{\"action\":\"prepare\",\"root\":true,\"root_name\":\"\"}",
            "{\"action\":\"prepare\",\"root_name\":\"Lone Root\"}",
            "{\"action\":\"prepare\",\"surprise\":true}");
    Set<Integer> statuses = new HashSet<>();
    for (String body : bad) {
      HttpResponse<String> r = admin.send("POST", API, body, "Content-Type", "application/json");
      assertThat(r.statusCode()).as(body + " → " + r.body()).isEqualTo(400);
      statuses.add(r.statusCode());
    }
    assertThat(statuses).containsExactly(400);
    HttpResponse<String> noRoot =
        admin.send(
            "POST",
            API,
            "{\"action\":\"prepare\",\"root\":true}",
            "Content-Type",
            "application/json");
    assertThat(noRoot.statusCode()).as(noRoot.body()).isEqualTo(409);
    assertThat(noRoot.body()).contains("self-signed");
    TestClient agent = server.agent("plain-agent.test");
    assertThat(agent.get(API).statusCode()).isEqualTo(403);
    assertThat(
            agent
                .send("POST", API, "{\"action\":\"prepare\"}", "Content-Type", "application/json")
                .statusCode())
        .isEqualTo(403);
    assertThat(server.anonymous().get(API).statusCode()).isEqualTo(403);
    assertThat(json(admin.get(API)).path("stage").asText()).isEqualTo("none");
    assertThat(server.anonymous().get("/puppet-ca/v1/certificate/ca").body())
        .isEqualTo(bundleBefore);
    assertThat(server.cadir().resolve("rollover/stage")).doesNotExist();
  }
}
