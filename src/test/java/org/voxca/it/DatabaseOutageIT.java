package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.testing.Await;
import org.voxca.testing.Ocsp;
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
        Ocsp.Answer ocsp =
            Ocsp.post(
                s.port(),
                s.caBundle(),
                Ocsp.request(s.issuer().certificate(), List.of(BigInteger.valueOf(2)), null));
        assertThat(ocsp.http()).isEqualTo(200);
        assertThat(ocsp.ocspStatus()).as("OCSP tryLater").isEqualTo(OCSPResp.TRY_LATER);
        assertThat(ocsp.cacheControl()).isEqualTo("no-store");
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

  @Test
  void anOutageUnderLoadIsOnly200sAnd503sAndLeavesTheCaConsistent() throws Exception {
    try (TestDatabase db = TestDatabase.create();
        TestServer s = TestServer.builder(root).autosign("true").hocon(db.hocon(root)).start()) {
      java.util.Set<Integer> statuses = java.util.concurrent.ConcurrentHashMap.newKeySet();
      java.util.Set<String> acknowledged = java.util.concurrent.ConcurrentHashMap.newKeySet();
      java.util.concurrent.atomic.AtomicBoolean stop =
          new java.util.concurrent.atomic.AtomicBoolean();
      java.util.concurrent.ExecutorService pool =
          java.util.concurrent.Executors.newFixedThreadPool(8);
      java.util.List<java.util.concurrent.Future<?>> fs = new java.util.ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        fs.add(
            pool.submit(
                () -> {
                  for (int i = 0; !stop.get(); i++) {
                    String name = "load" + thread + "-" + i + ".test";
                    HttpResponse<String> r = put(s, name);
                    statuses.add(r.statusCode());
                    if (r.statusCode() == 200) {
                      acknowledged.add(name);
                    }
                  }
                  return null;
                }));
      }
      Thread.sleep(500);
      db.block();
      Thread.sleep(1500);
      db.unblock();
      Await.until(
          Duration.ofSeconds(30),
          "voxca to recover",
          () -> put(s, "probe.test").statusCode() == 200);
      Thread.sleep(500);
      stop.set(true);
      for (var f : fs) {
        f.get();
      }
      pool.shutdown();
      assertThat(statuses).contains(200, 503).isSubsetOf(200, 503);
      for (String name : acknowledged) {
        assertThat(s.anonymous().get(CA + "certificate/" + name).statusCode())
            .as(name)
            .isEqualTo(200);
      }
      try (var c = db.connect();
          var rs =
              c.createStatement()
                  .executeQuery(
                      "SELECT count(*) FROM certificates c WHERE NOT EXISTS"
                          + " (SELECT 1 FROM inventory i WHERE i.serial = c.serial)")) {
        rs.next();
        assertThat(rs.getInt(1)).as("certificates without an inventory row").isZero();
      }
    }
  }

  private static HttpResponse<String> put(TestServer s, String name) {
    return s.anonymous().put(CA + "certificate_request/" + name, TestPki.csr(name).pem());
  }
}
