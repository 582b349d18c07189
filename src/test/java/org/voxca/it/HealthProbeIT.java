package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.testing.TestClient;
import org.voxca.testing.TestServer;

/**
 * Readiness and liveness through the status service: the CA's services answer 503 {@code error}
 * while the CA directory does not answer and 200 {@code running} again once it does; {@code
 * status-service} (liveness) stays 200 throughout.
 */
class HealthProbeIT {
  @TempDir Path dir;

  @Test
  void readinessFollowsTheStoreWhileLivenessStaysUp() throws Exception {
    try (TestServer s = TestServer.builder(dir.resolve("ca")).start()) {
      TestClient anon = s.anonymous();
      assertReady(anon, true);

      Path cakey = s.cadir().resolve("ca_key.pem");
      Path aside = s.cadir().resolve("ca_key.pem.aside");
      Files.move(cakey, aside);
      try {
        assertReady(anon, false);
        HttpResponse<String> services = anon.get("/status/v1/services");
        assertThat(services.statusCode()).isEqualTo(503);
        assertThat(services.body())
            .contains("\"ca\":{\"service_version\":\"8.8.0\"")
            .contains("\"state\":\"error\"")
            .contains("\"status-service\":{\"service_version\":\"8.8.0\"")
            .doesNotContain(s.cadir().toString());
        HttpResponse<String> ca = anon.get("/status/v1/services/ca");
        assertThat(ca.statusCode()).isEqualTo(503);
        assertThat(ca.body()).contains("\"state\":\"error\"", "\"service_name\":\"ca\"");
        assertThat(anon.get("/status/v1/services/status-service").statusCode()).isEqualTo(200);
        // Not a probe: the CA certificate is still served while the key is missing.
        assertThat(anon.get("/puppet-ca/v1/certificate/ca").statusCode()).isEqualTo(200);
      } finally {
        Files.move(aside, cakey);
      }
      assertReady(anon, true);
      assertThat(anon.get("/status/v1/services").statusCode()).isEqualTo(200);

      Path signed = s.cadir().resolve("signed");
      Path signedAside = s.cadir().resolve("signed.aside");
      Files.move(signed, signedAside);
      try {
        assertReady(anon, false);
      } finally {
        Files.move(signedAside, signed);
      }
      assertReady(anon, true);
    }
  }

  private static void assertReady(TestClient anon, boolean ready) {
    for (String path : new String[] {"/status/v1/simple", "/status/v1/simple/ca"}) {
      HttpResponse<String> r = anon.get(path);
      assertThat(r.statusCode()).as(path).isEqualTo(ready ? 200 : 503);
      assertThat(r.body()).as(path).isEqualTo(ready ? "running" : "error");
      assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
    }
    HttpResponse<String> live = anon.get("/status/v1/simple/status-service");
    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(live.body()).isEqualTo("running");
  }
}
