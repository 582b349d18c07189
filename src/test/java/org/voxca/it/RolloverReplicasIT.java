package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.pki.Certificates;
import org.voxca.testing.Await;
import org.voxca.testing.TestPki;
import org.voxca.testing.TestReplicas;
import org.voxca.testing.TestServer;

/**
 * A CA key rollover on two PostgreSQL replicas: each stage moved on one is the other's at once in
 * its status and within seconds in what it serves and signs. A replica without a copy of the next
 * key (kept as a file, like the CA key) refuses to sign while it is active, and signs with it once
 * the copy arrives; a revocation on either lands on both generations' CRLs for both.
 */
class RolloverReplicasIT {
  private static final String API = "/voxca/v1/ca_rollover";
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path root;
  static TestReplicas replicas;
  static TestServer a;
  static TestServer b;

  @BeforeAll
  static void start() throws Exception {
    replicas = TestReplicas.start(root, "true");
    a = replicas.a;
    b = replicas.b;
  }

  @AfterAll
  static void stop() {
    if (replicas != null) {
      replicas.close();
    }
  }

  static JsonNode act(TestServer s, String action) throws Exception {
    return JSON.readTree(s.rolloverAction(action).body());
  }

  static String stage(TestServer s) throws Exception {
    return JSON.readTree(s.admin().get(API).body()).path("stage").asText();
  }

  static int bundleSize(TestServer s) {
    return Certificates.readCertificates(s.anonymous().get("/puppet-ca/v1/certificate/ca").body())
        .size();
  }

  static HttpResponse<String> submit(TestServer s, String name) {
    return s.anonymous().put("/puppet-ca/v1/certificate_request/" + name, TestPki.csr(name).pem());
  }

  static X509Certificate cert(TestServer s, String name) {
    return Certificates.readCertificates(
            s.anonymous().get("/puppet-ca/v1/certificate/" + name).body())
        .get(0);
  }

  @Test
  void bothReplicasFollowEveryStage() throws Exception {
    X509Certificate current = a.issuer().certificate();
    act(a, "prepare");
    assertThat(stage(b)).isEqualTo("prepared");
    Await.until(Duration.ofSeconds(5), "B serves both generations", () -> bundleSize(b) == 4);
    X509Certificate next =
        Certificates.readCertificates(b.anonymous().get("/puppet-ca/v1/certificate/ca").body())
            .get(1);

    act(a, "activate");
    assertThat(stage(b)).isEqualTo("active");
    // finish runs with every replica stopped: refused while one said it is alive
    org.voxca.testing.CliRunner.Run finish =
        org.voxca.testing.CliRunner.ca(
            a.root,
            List.of("--config", a.root.resolve("voxca.conf").toString()),
            "rollover",
            "finish");
    assertThat(finish.code()).as(finish.out() + finish.err()).isEqualTo(1);
    assertThat(finish.err()).contains("was alive");
    assertThat(stage(b)).isEqualTo("active");
    // B has no copy of the plain next key yet: it refuses to sign rather than use the old one
    // (within a second of activate: until B sees the stage it still signs with the current key)
    java.util.concurrent.atomic.AtomicInteger tries =
        new java.util.concurrent.atomic.AtomicInteger();
    Await.until(
        Duration.ofSeconds(5),
        "B refuses without the next key",
        () -> submit(b, "refused-on-b-" + tries.incrementAndGet() + ".test").statusCode() == 503);
    assertThat(
            b.anonymous()
                .get("/puppet-ca/v1/certificate/refused-on-b-" + tries.get() + ".test")
                .statusCode())
        .isEqualTo(404);
    Files.copy(a.cadir().resolve("next_key.pem"), b.cadir().resolve("next_key.pem"));
    Await.until(
        Duration.ofSeconds(5),
        "B signs with its copy of the next key",
        () -> submit(b, "signed-on-b.test").statusCode() == 200);
    X509Certificate onB = cert(a, "signed-on-b.test");
    assertThat(onB.getIssuerX500Principal()).isEqualTo(next.getSubjectX500Principal());
    onB.verify(next.getPublicKey());
    assertThat(submit(a, "signed-on-a.test").statusCode()).isEqualTo(200);
    assertThat(cert(b, "signed-on-a.test").getIssuerX500Principal())
        .isEqualTo(next.getSubjectX500Principal());

    // revoked on B: both CRLs on A, and A's TLS refuses the certificate
    assertThat(
            b.admin()
                .put(
                    "/puppet-ca/v1/certificate_status/signed-on-b.test",
                    "{\"desired_state\":\"revoked\"}",
                    "Content-Type",
                    "application/json")
                .statusCode())
        .isEqualTo(204);
    List<X509CRL> crls = a.crlChain();
    assertThat(crls).hasSize(2);
    assertThat(crls.get(1).getRevokedCertificate(onB.getSerialNumber())).isNotNull();
    assertThat(crls.get(0).getRevokedCertificate(onB.getSerialNumber())).isNotNull();

    assertThat(act(b, "abort").path("stage").asText()).isEqualTo("prepared");
    assertThat(stage(a)).isEqualTo("prepared");
    Await.until(
        Duration.ofSeconds(5),
        "A signs with the current key again",
        () -> submit(a, "current-again.test").statusCode() == 200);
    assertThat(cert(a, "current-again.test").getIssuerX500Principal())
        .isEqualTo(current.getSubjectX500Principal());
    assertThat(a.rollover("{\"action\":\"abort\"}").statusCode())
        .as("signed-on-a.test still holds a certificate of the next CA")
        .isEqualTo(409);
    assertThat(
            a.admin()
                .put(
                    "/puppet-ca/v1/certificate_status/signed-on-a.test",
                    "{\"desired_state\":\"revoked\"}",
                    "Content-Type",
                    "application/json")
                .statusCode())
        .isEqualTo(204);
    assertThat(act(a, "abort").path("stage").asText()).isEqualTo("none");
    assertThat(stage(b)).isEqualTo("none");
    Await.until(Duration.ofSeconds(5), "B serves one generation again", () -> bundleSize(b) == 1);
  }
}
