package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.pki.Certificates;
import org.voxca.testing.TestClient;
import org.voxca.testing.TestServer;

/** GET certificate, certificate/ca and the CRL, with If-Modified-Since; the status service. */
class CertificateAndCrlIT {
  @TempDir static Path dir;
  static TestServer server;
  static TestClient anon;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.builder(dir).start();
    anon = server.anonymous();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String httpDate(Instant t) {
    return DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC).format(t);
  }

  @Test
  void caBundleIsServedByteForByte() throws Exception {
    HttpResponse<String> r =
        anon.get("/puppet-ca/v1/certificate/ca?environment=production", "Accept", "text/plain");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain");
    assertThat(r.body()).isEqualTo(Files.readString(server.config().store().cacert()));
    assertThat(r.headers().firstValue("Last-Modified")).isEmpty();
  }

  @Test
  void crlChainIsServedByteForByteForAnyName() throws Exception {
    HttpResponse<String> r = anon.get("/puppet-ca/v1/certificate_revocation_list/ca");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(Files.readString(server.config().store().cacrl()));
    var crl = Certificates.readCrls(r.body()).get(0);
    assertThat(crl.getThisUpdate().toInstant()).isBefore(Instant.now().minusSeconds(120));
    assertThat(crl.getNextUpdate().toInstant())
        .isAfter(Instant.now().plusSeconds(4L * 365 * 86400));
    // the default rule lets only names starting with "ca" through unauthenticated
    assertThat(anon.get("/puppet-ca/v1/certificate_revocation_list/other").statusCode())
        .isEqualTo(403);
  }

  @Test
  void ifModifiedSinceAnswers304WhenTheFileIsNotNewer() throws Exception {
    Instant mtime = Files.getLastModifiedTime(server.config().store().cacert()).toInstant();
    for (String path :
        new String[] {
          "/puppet-ca/v1/certificate/ca",
          "/puppet-ca/v1/certificate/voxca.test",
          "/puppet-ca/v1/certificate_revocation_list/ca"
        }) {
      HttpResponse<String> later =
          anon.get(path, "If-Modified-Since", httpDate(Instant.now().plusSeconds(60)));
      assertThat(later.statusCode()).as(path).isEqualTo(304);
      assertThat(later.body()).isEmpty();
      HttpResponse<String> earlier =
          anon.get(path, "If-Modified-Since", httpDate(mtime.minusSeconds(3600)));
      assertThat(earlier.statusCode()).as(path).isEqualTo(200);
      assertThat(earlier.body()).startsWith("-----BEGIN");
      // OpenVox also accepts a date without the day of the week, and any case
      String noDay =
          DateTimeFormatter.ofPattern("dd MMM yyyy HH:mm:ss", Locale.ROOT)
                  .withZone(ZoneOffset.UTC)
                  .format(Instant.now().plusSeconds(60))
              + " gmt";
      assertThat(anon.get(path, "If-Modified-Since", noDay).statusCode()).as(noDay).isEqualTo(304);
      assertThat(anon.get(path, "If-Modified-Since", "not a date").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void missingCertificate() {
    HttpResponse<String> r = anon.get("/puppet-ca/v1/certificate/nobody.example");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain");
    assertThat(r.body()).isEqualTo("Could not find certificate nobody.example");
  }

  @Test
  void statusService() {
    for (String path :
        new String[] {"/status/v1/simple", "/status/v1/simple/ca", "/status/v1/simple/server"}) {
      HttpResponse<String> r = anon.get(path);
      assertThat(r.statusCode()).as(path).isEqualTo(200);
      assertThat(r.body()).isEqualTo("running");
      assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
    }
    HttpResponse<String> unknown = anon.get("/status/v1/simple/nosuch");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).isEqualTo("not found: nosuch");
    HttpResponse<String> services = anon.get("/status/v1/services");
    assertThat(services.statusCode()).isEqualTo(200);
    assertThat(services.body())
        .contains("\"ca\":{\"service_version\":\"8.8.0\"", "\"state\":\"running\"");
    HttpResponse<String> one = anon.get("/status/v1/services/ca");
    assertThat(one.body()).contains("\"service_name\":\"ca\"");
  }
}
