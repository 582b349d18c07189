package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.testing.TestClient;
import org.voxca.testing.TestPki;
import org.voxca.testing.TestServer;

/**
 * Under autosign, the anonymous CSR endpoint is not a free signing oracle: past its submissions a
 * minute, an address gets 503 with Retry-After and nothing is stored or signed; a second later it
 * may submit again, and reads are never limited.
 */
class SubmissionRateIT {
  private static final String CA = "/puppet-ca/v1/";
  @TempDir static Path dir;
  static TestServer server;
  static TestClient anon;

  @BeforeAll
  static void start() throws Exception {
    server =
        TestServer.builder(dir.resolve("server"))
            .autosign("true")
            .hocon("voxca { max-submissions-per-address: 60 }\n")
            .start();
    anon = server.anonymous();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static HttpResponse<String> submit(String name) {
    return anon.put(CA + "certificate_request/" + name, TestPki.csr(name).pem());
  }

  @Test
  void pastTheBurstA503ThenReleasedAsTheBucketRefills() throws Exception {
    int passed = 0;
    HttpResponse<String> refused = null;
    for (int i = 0; i < 200 && refused == null; i++) {
      HttpResponse<String> r = submit("burst" + i + ".rate.test");
      if (r.statusCode() == 200) {
        passed++;
      } else {
        refused = r;
      }
    }
    assertThat(passed)
        .as("a minute's worth passes at once, plus what refilled meanwhile")
        .isBetween(60, 66);
    assertThat(refused).isNotNull();
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.headers().firstValue("Retry-After")).contains("1");
    assertThat(refused.body()).contains("Too many certificate requests from 127.0.0.1");
    String name = "burst" + passed + ".rate.test";
    assertThat(anon.get(CA + "certificate/" + name).statusCode())
        .as("nothing signed")
        .isEqualTo(404);
    assertThat(anon.get(CA + "certificate_request/" + name).statusCode())
        .as("nothing stored")
        .isEqualTo(404);
    assertThat(anon.get(CA + "certificate/ca").statusCode())
        .as("reads are not limited")
        .isEqualTo(200);

    Thread.sleep(1_300);
    HttpResponse<String> after = submit("after.rate.test");
    assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
    assertThat(anon.get(CA + "certificate/after.rate.test").statusCode()).isEqualTo(200);
  }
}
