package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.testing.Await;
import org.voxca.testing.CliRunner;
import org.voxca.testing.LogCapture;
import org.voxca.testing.PrivatePostgres;
import org.voxca.testing.TestPki;
import org.voxca.testing.TestServer;

/**
 * The PostgreSQL engine itself stopped (a fast shutdown, open transactions cut) and started again
 * while agents submit: every answer is 200 or 503 with Retry-After, never 500; voxca reconnects by
 * itself (refusing writes at once while the engine is down); every acknowledged certificate is
 * served afterwards and {@code voxca ca check} finds the database consistent.
 */
class DatabaseRestartIT {
  private static final String CA = "/puppet-ca/v1/";
  @TempDir Path root;

  @Test
  void theEngineStoppedAndStartedUnderLoad() throws Exception {
    try (LogCapture logs = new LogCapture();
        PrivatePostgres pg = PrivatePostgres.start();
        TestServer s = TestServer.builder(root).autosign("true").hocon(pg.hocon(root)).start()) {
      Set<Integer> statuses = ConcurrentHashMap.newKeySet();
      Set<String> acknowledged = ConcurrentHashMap.newKeySet();
      AtomicInteger refused = new AtomicInteger();
      AtomicInteger withoutRetryAfter = new AtomicInteger();
      List<Long> refusalMillis = java.util.Collections.synchronizedList(new ArrayList<>());
      AtomicBoolean stop = new AtomicBoolean();
      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        fs.add(
            pool.submit(
                () -> {
                  // one connection per agent, kept alive, as Puppet agents do
                  org.voxca.testing.TestClient agent = s.anonymous();
                  for (int i = 0; !stop.get(); i++) {
                    String name = "load" + thread + "-" + i + ".test";
                    long sent = System.nanoTime();
                    HttpResponse<String> r =
                        agent.put(CA + "certificate_request/" + name, TestPki.csr(name).pem());
                    statuses.add(r.statusCode());
                    if (r.statusCode() == 200) {
                      acknowledged.add(name);
                    } else if (r.statusCode() == 503) {
                      refused.incrementAndGet();
                      refusalMillis.add((System.nanoTime() - sent) / 1_000_000);
                      Thread.sleep(100); // an agent waits Retry-After; this one, a little
                      if (r.headers().firstValue("Retry-After").isEmpty()) {
                        withoutRetryAfter.incrementAndGet();
                      }
                    }
                  }
                  return null;
                }));
      }
      Thread.sleep(800);
      pg.stop();
      Thread.sleep(2000);
      assertThat(s.anonymous().get("/status/v1/simple").body()).isEqualTo("error");
      assertThat(s.anonymous().get(CA + "certificate/ca").statusCode()).isEqualTo(200);
      pg.startAgain();
      long t0 = System.nanoTime();
      Await.until(
          Duration.ofSeconds(30),
          "voxca to reconnect",
          () -> put(s, "probe.test").statusCode() == 200);
      System.out.printf(
          "writes served again %d ms after the engine's start%n",
          (System.nanoTime() - t0) / 1_000_000);
      Thread.sleep(500);
      stop.set(true);
      for (Future<?> f : fs) {
        f.get();
      }
      pool.shutdown();
      System.out.printf(
          "%d acknowledged, %d refused with 503%n", acknowledged.size(), refused.get());
      assertThat(statuses).contains(200, 503).isSubsetOf(200, 503);
      assertThat(withoutRetryAfter.get()).as("503s without Retry-After").isZero();
      // while the engine is down, a write is refused at once, not after the pool's 5 s timeout
      List<Long> sorted = new ArrayList<>(refusalMillis);
      java.util.Collections.sort(sorted);
      System.out.printf(
          "503 answered in: median %d ms, slowest %d ms%n",
          sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1));
      assertThat(sorted.get(sorted.size() / 2)).as("median 503 latency, ms").isLessThan(1000);
      assertThat(s.anonymous().get("/status/v1/simple").body()).isEqualTo("running");
      for (String name : acknowledged) {
        assertThat(s.anonymous().get(CA + "certificate/" + name).statusCode())
            .as(name)
            .isEqualTo(200);
      }
      // the every-second refresh logs the outage once and its end once, not a line a second
      List<String> refresh =
          logs.events().stream()
              .map(e -> e.getFormattedMessage())
              .filter(m -> m.startsWith("Trust or index refresh"))
              .toList();
      assertThat(refresh).hasSize(2);
      assertThat(refresh.get(0)).startsWith("Trust or index refresh failed (1 time(s) in a row)");
      assertThat(refresh.get(1))
          .matches("Trust or index refresh works again after \\d+ failure\\(s\\)");
      CliRunner.Run check =
          CliRunner.ca(root, List.of("--config", root.resolve("voxca.conf").toString()), "check");
      assertThat(check.code()).as(check.out() + check.err()).isZero();
    }
  }

  private static HttpResponse<String> put(TestServer s, String name) {
    return s.anonymous().put(CA + "certificate_request/" + name, TestPki.csr(name).pem());
  }
}
