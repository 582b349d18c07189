package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.pki.Certificates;
import org.voxca.testing.Await;
import org.voxca.testing.Scrape;
import org.voxca.testing.ServerProcess;
import org.voxca.testing.TestPki;
import org.voxca.testing.TestServer;

/**
 * Prometheus metrics on their own listener: counters after a known sequence of submit, sign, renew,
 * revoke; gauges from the census; every name voxca_; valid for {@code promtool check metrics}.
 */
class MetricsIT {
  private static final String CA = "/puppet-ca/v1/";
  @TempDir Path root;

  @Test
  void countersAndGaugesFollowKnownOperations() throws Exception {
    Files.createDirectories(root.resolve("puppet"));
    Files.writeString(root.resolve("puppet/autosign.conf"), "*.auto.test\n");
    int port = ServerProcess.freePort();
    try (TestServer s =
        TestServer.builder(root)
            .autosign(root.resolve("puppet/autosign.conf").toString())
            .hocon(
                "voxca { metrics { port: "
                    + port
                    + " } }\ncertificate-authority { allow-auto-renewal: true }")
            .start()) {
      assertThat(s.server.metricsPort()).isEqualTo(port);
      Map<String, Double> before = awaitCensus(port);
      double signedBefore = Scrape.value(before, "voxca_certificates", "state=\"signed\"");
      // every counter family is there from the start, at zero: rate() and increase() see it
      for (String family :
          List.of(
              "voxca_csrs_submitted_total",
              "voxca_csrs_deleted_total",
              "voxca_certificates_renewed_total",
              "voxca_certificates_revoked_total",
              "voxca_certificates_cleaned_total",
              "voxca_ca_extensions_total",
              "voxca_crls_resigned_total",
              "voxca_crls_updated_total")) {
        assertThat(Scrape.value(before, family)).as(family).isZero();
      }
      for (String by : List.of("autosign", "operator")) {
        assertThat(Scrape.value(before, "voxca_certificates_signed_total", "by=\"" + by + "\""))
            .isZero();
      }
      for (String result : List.of("signed", "pending", "claims-server-name")) {
        assertThat(
                Scrape.value(before, "voxca_autosign_decisions_total", "result=\"" + result + "\""))
            .as(result)
            .isZero();
      }

      KeyPair key = TestPki.freshEcKey();
      put(s, "a.auto.test", TestPki.csr("a.auto.test").key(key).pem());
      put(s, "b.auto.test", TestPki.csr("b.auto.test").pem());
      put(s, "manual.test", TestPki.csr("manual.test").pem());
      X509Certificate a =
          Certificates.readCertificates(s.anonymous().get(CA + "certificate/a.auto.test").body())
              .get(0);
      assertThat(
              s.client(a, key.getPrivate())
                  .send("POST", CA + "certificate_renewal", "")
                  .statusCode())
          .isEqualTo(200);
      assertThat(
              s.admin()
                  .put(CA + "certificate_status/b.auto.test", "{\"desired_state\":\"revoked\"}")
                  .statusCode())
          .isEqualTo(204);

      Await.until(
          Duration.ofSeconds(15),
          "the census to count the revocation",
          () -> Scrape.value(Scrape.of(port), "voxca_certificates", "state=\"revoked\"") == 1.0);
      Map<String, Double> m = Scrape.of(port);
      assertThat(Scrape.value(m, "voxca_csrs_submitted_total")).isEqualTo(3.0);
      assertThat(Scrape.value(m, "voxca_certificates_signed_total", "by=\"autosign\""))
          .isEqualTo(2.0);
      assertThat(Scrape.value(m, "voxca_autosign_decisions_total", "result=\"signed\""))
          .isEqualTo(2.0);
      assertThat(Scrape.value(m, "voxca_autosign_decisions_total", "result=\"pending\""))
          .isEqualTo(1.0);
      assertThat(Scrape.value(m, "voxca_certificates_renewed_total")).isEqualTo(1.0);
      assertThat(Scrape.value(m, "voxca_certificates_revoked_total")).isEqualTo(1.0);
      assertThat(Scrape.value(m, "voxca_signature_seconds_count")).isEqualTo(3.0);
      assertThat(Scrape.value(m, "voxca_csrs_pending")).isEqualTo(1.0);
      assertThat(Scrape.value(m, "voxca_certificates", "state=\"requested\"")).isEqualTo(1.0);
      assertThat(Scrape.value(m, "voxca_certificates", "state=\"signed\""))
          .isEqualTo(signedBefore + 1);
      assertThat(
              Scrape.value(
                  m,
                  "voxca_http_requests_seconds_count",
                  "method=\"PUT\"",
                  "route=\"/puppet-ca/v1/certificate_request/{name}\"",
                  "status=\"200\""))
          .isEqualTo(3.0);
      assertThat(
              Scrape.value(
                  m, "voxca_ca_certificate_not_after_seconds", "ca=\"Puppet CA: voxca.test\""))
          .isEqualTo((double) s.issuer().certificate().getNotAfter().toInstant().getEpochSecond());
      assertThat(Scrape.value(m, "voxca_crl_next_update_seconds")).isGreaterThan(0);
      assertThat(Scrape.value(m, "voxca_certificates_earliest_expiry_seconds")).isGreaterThan(0);
      assertThat(Scrape.value(m, "voxca_ready")).isEqualTo(1.0);
      assertThat(m.keySet()).anyMatch(k -> k.startsWith("voxca_jvm_memory_used_bytes"));
      assertThat(m.keySet()).allMatch(k -> k.startsWith("voxca_"));

      HttpResponse<String> other = Scrape.get(port, "/other");
      assertThat(other.statusCode()).isEqualTo(404);
      HttpResponse<String> metrics = Scrape.get(port, "/metrics");
      assertThat(metrics.headers().firstValue("Content-Type"))
          .hasValue("text/plain; version=0.0.4; charset=utf-8");
      promtoolAccepts(metrics.body());
    }
  }

  @Test
  void offByDefault() throws Exception {
    try (TestServer s = TestServer.builder(root).start()) {
      assertThat(s.server.metricsPort()).isZero();
    }
  }

  /**
   * promtool's linter, which CI installs (Debian's prometheus package); outside CI when present.
   */
  private static void promtoolAccepts(String exposition) throws Exception {
    Path promtool = Path.of("/usr/bin/promtool");
    if (!Files.isExecutable(promtool)) {
      assertThat(System.getenv("CI")).as("promtool is missing in CI").isNull();
      return;
    }
    Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").start();
    p.getOutputStream().write(exposition.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out =
        new String(p.getInputStream().readAllBytes())
            + new String(p.getErrorStream().readAllBytes());
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
  }

  private static Map<String, Double> awaitCensus(int port) throws Exception {
    Await.until(
        Duration.ofSeconds(15),
        "a first census",
        () -> Scrape.value(Scrape.of(port), "voxca_certificates", "state=\"signed\"") >= 1.0);
    return Scrape.of(port);
  }

  private static void put(TestServer s, String name, String csr) {
    HttpResponse<String> r = s.anonymous().put(CA + "certificate_request/" + name, csr);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }
}
