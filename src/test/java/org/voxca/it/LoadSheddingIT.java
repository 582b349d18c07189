package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.pki.Certificates;
import org.voxca.testing.TestClient;
import org.voxca.testing.TestPki;
import org.voxca.testing.TestServer;

/**
 * A herd of agents against a CA told to shed any queue of signing work (shed-after 1 ms): every
 * answer is 200 or 503 with Retry-After, reads of the CA certificate are never shed, and every
 * agent that honours Retry-After ends with its certificate, each serial once.
 */
class LoadSheddingIT {
  private static final String CA = "/puppet-ca/v1/";
  private static final int AGENTS = 48;
  @TempDir Path dir;

  @Test
  void aHerdGets200Or503WithRetryAfterAndEveryAgentBootstraps() throws Exception {
    try (TestServer s =
        TestServer.builder(dir).autosign("true").hocon("voxca { shed-after: 1ms }").start()) {
      // one submission first: the CA learns what signing costs
      assertThat(put(s.anonymous(), "warm.test").statusCode()).isEqualTo(200);
      AtomicInteger shed = new AtomicInteger();
      AtomicInteger caReads = new AtomicInteger();
      Set<Integer> statuses = ConcurrentHashMap.newKeySet();
      CountDownLatch go = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(AGENTS + 1);
      List<Future<?>> agents = new ArrayList<>();
      for (int i = 0; i < AGENTS; i++) {
        String name = "herd-" + i + ".test";
        agents.add(
            pool.submit(
                () -> {
                  TestClient anon = s.anonymous();
                  go.await();
                  for (int attempt = 0; attempt < 100; attempt++) {
                    HttpResponse<String> r = put(anon, name);
                    statuses.add(r.statusCode());
                    if (r.statusCode() == 200) {
                      return null;
                    }
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
                    assertThat(r.body()).startsWith("The CA is busy signing");
                    int wait =
                        Integer.parseInt(r.headers().firstValue("Retry-After").orElseThrow());
                    assertThat(wait).isBetween(1, 300);
                    shed.incrementAndGet();
                    Thread.sleep(200L * wait); // a fifth of it: keeps the test short
                  }
                  throw new AssertionError(name + " never got through");
                }));
      }
      Future<?> reader =
          pool.submit(
              () -> {
                TestClient anon = s.anonymous();
                go.await();
                for (int i = 0; i < 40; i++) {
                  assertThat(anon.get(CA + "certificate/ca").statusCode()).isEqualTo(200);
                  caReads.incrementAndGet();
                }
                return null;
              });
      go.countDown();
      for (Future<?> f : agents) {
        f.get();
      }
      reader.get();
      pool.shutdown();
      assertThat(statuses).isSubsetOf(200, 503).contains(200);
      assertThat(shed.get()).as("requests shed").isPositive();
      // the operator console counts exactly the 503s the agents were given
      assertThat(s.admin().get("/console/").body()).contains("<dd id=\"shed\">" + shed.get() + " ");
      assertThat(caReads.get()).isEqualTo(40);
      Set<BigInteger> serials = new HashSet<>();
      for (int i = 0; i < AGENTS; i++) {
        HttpResponse<String> cert = s.anonymous().get(CA + "certificate/herd-" + i + ".test");
        assertThat(cert.statusCode()).isEqualTo(200);
        assertThat(serials.add(Certificates.readCertificates(cert.body()).get(0).getSerialNumber()))
            .isTrue();
      }
    }
  }

  private static HttpResponse<String> put(TestClient c, String name) {
    return c.put(CA + "certificate_request/" + name, TestPki.csr(name).pem());
  }
}
