package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.testing.TestClient;
import org.voxca.testing.TestPki;
import org.voxca.testing.TestServer;

/** The certificate_request seed, example by example, over real HTTPS (autosign off). */
class CertificateRequestIT {
  @TempDir static Path dir;
  static TestServer server;
  static TestClient anon;
  static TestClient admin;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.builder(dir).autosign("false").start();
    anon = server.anonymous();
    admin = server.admin();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void submitThenFindReturnsThePendingCsr() throws Exception {
    String pem = TestPki.csr("agency").pem();
    HttpResponse<String> put =
        anon.put(
            "/puppet-ca/v1/certificate_request/agency?environment=env",
            pem,
            "Content-Type",
            "text/plain");
    assertThat(put.statusCode()).isEqualTo(200);
    assertThat(put.body()).isEmpty();
    assertThat(put.headers().firstValue("Content-Type")).hasValue("text/plain");

    HttpResponse<String> get =
        anon.get(
            "/puppet-ca/v1/certificate_request/agency?environment=env", "Accept", "text/plain");
    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(get.headers().firstValue("Content-Type")).hasValue("text/plain");
    assertThat(get.body()).startsWith("-----BEGIN CERTIFICATE REQUEST-----").isEqualTo(pem);
    assertThat(Files.readString(server.config().store().csrdir().resolve("agency.pem")))
        .isEqualTo(pem);
    // not autosigned: no certificate yet
    assertThat(anon.get("/puppet-ca/v1/certificate/agency").statusCode()).isEqualTo(404);
  }

  @Test
  void csrNotFound() {
    HttpResponse<String> r =
        anon.get("/puppet-ca/v1/certificate_request/does_not_exist?environment=env");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain");
    assertThat(r.body()).isEqualTo("Not Found: Could not find certificate_request does_not_exist");
  }

  @Test
  void noNodeNameGiven() {
    for (String path :
        new String[] {
          "/puppet-ca/v1/certificate_request?environment=env", "/puppet-ca/v1/certificate_request/"
        }) {
      HttpResponse<String> r = anon.get(path);
      assertThat(r.statusCode()).as(path).isEqualTo(400);
      assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain");
      assertThat(r.body())
          .isEqualTo("No request key specified in /puppet-ca/v1/certificate_request");
    }
  }

  @Test
  void deleteExistingAndMissingAsTheSeedSays() throws Exception {
    assertThat(
            anon.put("/puppet-ca/v1/certificate_request/todelete", TestPki.csr("todelete").pem())
                .statusCode())
        .isEqualTo(200);
    HttpResponse<String> del =
        admin.send(
            "DELETE",
            "/puppet-ca/v1/certificate_request/todelete?environment=production",
            null,
            "Accept",
            "s");
    assertThat(del.statusCode()).isEqualTo(200);
    assertThat(del.headers().firstValue("Content-Type")).hasValue("text/plain");
    assertThat(del.body()).isEqualTo("1");
    assertThat(server.config().store().csrdir().resolve("todelete.pem")).doesNotExist();

    HttpResponse<String> again =
        admin.send(
            "DELETE",
            "/puppet-ca/v1/certificate_request/missing?environment=production",
            null,
            "Accept",
            "s");
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(again.body()).isEqualTo("false");
  }

  @Test
  void deleteAndListNeedAnAdminCertificate() throws Exception {
    anon.put("/puppet-ca/v1/certificate_request/keepme", TestPki.csr("keepme").pem());
    HttpResponse<String> anonDel = anon.delete("/puppet-ca/v1/certificate_request/keepme");
    assertThat(anonDel.statusCode()).isEqualTo(403);
    assertThat(anonDel.body())
        .isEqualTo(
            "Forbidden request: /puppet-ca/v1/certificate_request/keepme (method :delete). Please see the server logs for details.");
    assertThat(
            server.agent("agent-x").delete("/puppet-ca/v1/certificate_request/keepme").statusCode())
        .isEqualTo(403);
    assertThat(server.config().store().csrdir().resolve("keepme.pem")).exists();

    assertThat(anon.get("/puppet-ca/v1/certificate_requests/ignored").statusCode()).isEqualTo(403);
    assertThat(
            server.agent("agent-y").get("/puppet-ca/v1/certificate_requests/ignored").statusCode())
        .isEqualTo(403);
  }

  @Test
  void listJoinsAllPendingCsrsWithTheSeedSeparator() throws Exception {
    String a = TestPki.csr("list-a").key(TestPki.freshEcKey()).pem();
    String b = TestPki.csr("list-b").key(TestPki.freshEcKey()).pem();
    anon.put("/puppet-ca/v1/certificate_request/list-a", a);
    anon.put("/puppet-ca/v1/certificate_request/list-b", b);
    HttpResponse<String> r =
        admin.get(
            "/puppet-ca/v1/certificate_requests/ignored?environment=production", "Accept", "s");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain");
    assertThat(r.body()).contains(a.trim() + "\n\n---\n" + b.trim());
    assertThat(r.body().split("\n---\n"))
        .allMatch(p -> p.startsWith("-----BEGIN CERTIFICATE REQUEST-----"));
  }

  @Test
  void resubmittingAPendingNameIsRefusedWith400() {
    String pem = TestPki.csr("twice").pem();
    assertThat(anon.put("/puppet-ca/v1/certificate_request/twice", pem).statusCode())
        .isEqualTo(200);
    HttpResponse<String> r = anon.put("/puppet-ca/v1/certificate_request/twice", pem);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
    assertThat(r.body())
        .isEqualTo("twice already has a requested certificate; ignoring certificate request");
  }

  @Test
  void anyAcceptHeaderIsFine() {
    for (String accept : new String[] {"s", "text/plain", "application/json", "*/*"}) {
      assertThat(anon.get("/puppet-ca/v1/certificate/ca", "Accept", accept).statusCode())
          .as(accept)
          .isEqualTo(200);
    }
  }
}
