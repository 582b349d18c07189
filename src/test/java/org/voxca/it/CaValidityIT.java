package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.pki.CaExtension;
import org.voxca.pki.Certificates;
import org.voxca.pki.Keys;
import org.voxca.pki.Pem;
import org.voxca.testing.LogCapture;
import org.voxca.testing.Scrape;
import org.voxca.testing.ServerProcess;
import org.voxca.testing.TestClient;
import org.voxca.testing.TestPki;
import org.voxca.testing.TestServer;

/**
 * A CA that knows its own validity: with an expired CA certificate it issues nothing (a clear 503
 * naming the fix, an ERROR in the log, readiness {@code error} with its reason), an extension
 * brings it back, and no extension shortens its life unless forced, nor to under a day.
 */
class CaValidityIT {
  private static final String CA = "/puppet-ca/v1/";
  @TempDir Path root;

  @Test
  void anExpiredCaIssuesNothingUntilExtended() throws Exception {
    int metrics = ServerProcess.freePort();
    TestServer.Builder b =
        TestServer.builder(root)
            .autosign("true")
            .hocon("voxca { metrics { port: " + metrics + " } }");
    try (TestServer first = b.start()) {
      assertThat(Scrape.value(metrics, "voxca_ready")).isEqualTo(1.0);
    }
    // the CA certificate, re-signed by its own key to have expired an hour ago
    Path caCrt = b.config().store().cacert();
    X509Certificate ca = Certificates.readCertificates(Files.readString(caCrt)).get(0);
    X509Certificate expired =
        CaExtension.extend(
            ca,
            Keys.readKeyPair(Files.readString(b.config().store().cakey())).getPrivate(),
            Instant.now().minus(Duration.ofDays(30)),
            Instant.now().minus(Duration.ofHours(1)));
    Files.writeString(caCrt, Pem.encode(expired));

    try (LogCapture log = new LogCapture();
        TestServer s = b.start()) {
      TestClient anon = s.anonymous();
      HttpResponse<String> status = anon.get("/status/v1/simple");
      assertThat(status.statusCode()).isEqualTo(503);
      assertThat(status.body()).isEqualTo("error");
      assertThat(status.headers().firstValue("Retry-After")).as("every 503").hasValue("10");
      assertThat(anon.get("/status/v1/services/ca").body()).contains("\"reason\":\"ca_expired\"");
      assertThat(Scrape.value(metrics, "voxca_ready")).isZero();
      assertThat(Scrape.value(metrics, "voxca_not_ready", "reason=\"ca_expired\"")).isEqualTo(1.0);

      // an autosigned submission: refused, nothing stored
      HttpResponse<String> put =
          anon.put(CA + "certificate_request/late.test", TestPki.csr("late.test").pem());
      assertThat(put.statusCode()).isEqualTo(503);
      assertThat(put.body()).contains("CA certificate expired at").contains("voxca ca extend");
      assertThat(put.headers().firstValue("Retry-After"))
          .as("an operator must extend the CA: retry in minutes")
          .hasValue("300");
      assertThat(anon.get(CA + "certificate_request/late.test").statusCode()).isEqualTo(404);
      assertThat(anon.get(CA + "certificate/late.test").statusCode()).isEqualTo(404);
      assertThat(log.events())
          .anyMatch(
              e ->
                  e.getLevel() == Level.ERROR
                      && e.getFormattedMessage().contains("Refused to issue a certificate for"));

      // an extension under a day is refused even when forced; a real one brings the CA back
      TestClient admin = s.admin();
      HttpResponse<String> tiny =
          admin.send(
              "POST",
              "/voxca/v1/ca_extension",
              "{\"ttl\":3,\"force\":true}",
              "Content-Type",
              "application/json");
      assertThat(tiny.statusCode()).isEqualTo(400);
      assertThat(tiny.body()).contains("1 day");
      HttpResponse<String> ext =
          admin.send(
              "POST",
              "/voxca/v1/ca_extension",
              "{\"ttl\":315360000}",
              "Content-Type",
              "application/json");
      assertThat(ext.statusCode()).as(ext.body()).isEqualTo(200);
      assertThat(anon.get("/status/v1/simple").statusCode()).isEqualTo(200);
      HttpResponse<String> again =
          anon.put(CA + "certificate_request/late.test", TestPki.csr("late.test").pem());
      assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
      X509Certificate cert =
          Certificates.readCertificates(anon.get(CA + "certificate/late.test").body()).get(0);
      assertThat(cert.getNotAfter().toInstant()).isAfter(Instant.now().plus(Duration.ofDays(300)));
    }
  }

  @Test
  void anExtensionNeverShortensTheCaUnlessForced() throws Exception {
    try (TestServer s = TestServer.builder(root).start()) {
      TestClient admin = s.admin();
      Instant before = s.issuer().certificate().getNotAfter().toInstant();
      HttpResponse<String> shorter =
          admin.send(
              "POST",
              "/voxca/v1/ca_extension",
              "{\"ttl\":172800}",
              "Content-Type",
              "application/json");
      assertThat(shorter.statusCode()).isEqualTo(400);
      assertThat(shorter.body()).contains("would shorten");
      assertThat(s.issuer().certificate().getNotAfter().toInstant()).isEqualTo(before);
      HttpResponse<String> forced =
          admin.send(
              "POST",
              "/voxca/v1/ca_extension",
              "{\"ttl\":172800,\"force\":true}",
              "Content-Type",
              "application/json");
      assertThat(forced.statusCode()).as(forced.body()).isEqualTo(200);
      assertThat(s.issuer().certificate().getNotAfter().toInstant())
          .isBefore(Instant.now().plus(Duration.ofDays(3)))
          .isAfter(Instant.now().plus(Duration.ofDays(1)));
    }
  }
}
