package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.testing.Await;
import org.voxca.testing.TestDatabase;
import org.voxca.testing.TestPki;
import org.voxca.testing.TestServer;

/**
 * The database goes away under a running voxca: writes answer 503 with Retry-After (never 500), the
 * CA certificate and CRL are still served from memory, readiness says error; when the database
 * comes back voxca recovers by itself and nothing half-written is left.
 */
class DatabaseOutageIT {
  private static final String CA = "/puppet-ca/v1/";
  @TempDir Path root;

  @Test
  void anOutageIsA503AndVoxcaRecoversByItself() throws Exception {
    try (TestDatabase db = TestDatabase.create();
        TestServer s = TestServer.builder(root).autosign("true").hocon(db.hocon(root)).start()) {
      assertThat(put(s, "before.test").statusCode()).isEqualTo(200);
      db.block();
      try {
        HttpResponse<String> during = put(s, "during.test");
        assertThat(during.statusCode()).as(during.body()).isEqualTo(503);
        assertThat(during.headers().firstValue("Retry-After")).hasValue("10");
        assertThat(during.body()).isEqualTo("The CA's storage is unavailable; retry later");
        assertThat(s.anonymous().get(CA + "certificate/ca").statusCode()).isEqualTo(200);
        assertThat(s.anonymous().get(CA + "certificate_revocation_list/ca").statusCode())
            .isEqualTo(200);
        HttpResponse<String> ready = s.anonymous().get("/status/v1/simple");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).isEqualTo("error");
      } finally {
        db.unblock();
      }
      Await.until(
          Duration.ofSeconds(30),
          "voxca to recover",
          () -> put(s, "after.test").statusCode() == 200);
      assertThat(s.anonymous().get("/status/v1/simple").body()).isEqualTo("running");
      assertThat(s.anonymous().get(CA + "certificate/during.test").statusCode())
          .as("the refused submission left nothing")
          .isEqualTo(404);
      assertThat(s.anonymous().get(CA + "certificate/after.test").statusCode()).isEqualTo(200);
    }
  }

  private static HttpResponse<String> put(TestServer s, String name) {
    return s.anonymous().put(CA + "certificate_request/" + name, TestPki.csr(name).pem());
  }
}
