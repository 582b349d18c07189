package org.voxca.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import org.voxca.pki.Certificates;
import org.voxca.pki.Keys;
import org.voxca.testing.TestClient;
import org.voxca.testing.TestPki;

/**
 * A thundering herd: N agents start their bootstrap at the same instant against a real voxca
 * process with load shedding on, each honouring {@code Retry-After} as Puppet agents do (sleeping
 * it, then submitting again). Reports the answers to the CSR submissions by status, timeouts (a
 * request unanswered in 60 s), how long until every agent held its certificate, per-agent p50/p99
 * and the server's peak RSS. {@code bench/run-herd [agents=1000] [shed-after=1s] [keylength=4096]}.
 */
public final class HerdBench {
  public static void main(String[] args) throws Exception {
    int agents = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    String shedAfter = args.length > 1 ? args[1] : "1s";
    int keylength = args.length > 2 ? Integer.parseInt(args[2]) : 4096;
    Path work = Files.createTempDirectory("voxca-herd");
    int port = 20000 + (int) (ProcessHandle.current().pid() % 20000);
    Path conf =
        Files.writeString(
            work.resolve("herd.conf"),
            "voxca { max-connections-per-address: 0, max-submissions-per-address: 0, shed-after: "
                + shedAfter
                + " }\n");
    List<String> cmd =
        BenchServer.serverCommand(
            work, port, "--setting", "keylength=" + keylength, "--config", conf.toString());
    long t0 = System.nanoTime();
    Process server = BenchServer.startServer(cmd, work.resolve("server.log"));
    try {
      HttpClient insecure = HttpClient.newBuilder().sslContext(BenchServer.trustAll()).build();
      BenchServer.waitForStatus(insecure, port, t0, "fresh CA");
      List<X509Certificate> ca =
          Certificates.readCertificates(Files.readString(work.resolve("ca/ca_crt.pem")));
      SSLContext ctx = TestClient.sslContext(ca, null, null);
      KeyPair key = Keys.rsa(2048);
      BootstrapBench.phase(
          "warm-up bootstraps, 8 at a time",
          100,
          8,
          server.pid(),
          i -> BootstrapBench.bootstrap(ctx, port, "warm" + i + ".herd.test", key));
      herd(ctx, port, agents, key, server.pid(), shedAfter);
    } finally {
      server.destroy();
      server.waitFor();
    }
  }

  private static void herd(
      SSLContext ctx, int port, int agents, KeyPair key, long pid, String shedAfter)
      throws Exception {
    Map<Integer, AtomicLong> answers = new ConcurrentHashMap<>();
    AtomicLong timeouts = new AtomicLong();
    AtomicLong failures = new AtomicLong();
    Map<String, Integer> reasons = new ConcurrentHashMap<>();
    List<Long> perAgent = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(agents);
    List<Future<?>> fs = new ArrayList<>();
    String base = "https://127.0.0.1:" + port + "/puppet-ca/v1/";
    for (int i = 0; i < agents; i++) {
      String name = "agent" + i + ".herd.test";
      fs.add(
          pool.submit(
              () -> {
                HttpClient c =
                    HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .sslContext(ctx)
                        .build();
                go.await();
                long a = System.nanoTime();
                try {
                  BootstrapBench.expect(c, "GET", base + "certificate/ca", null, 200);
                  BootstrapBench.expect(
                      c, "GET", base + "certificate_revocation_list/ca", null, 200);
                  String csr = TestPki.csr(name).key(key).pem();
                  while (true) {
                    HttpResponse<String> r =
                        c.send(
                            HttpRequest.newBuilder(URI.create(base + "certificate_request/" + name))
                                .timeout(Duration.ofSeconds(60))
                                .PUT(HttpRequest.BodyPublishers.ofString(csr))
                                .build(),
                            HttpResponse.BodyHandlers.ofString());
                    answers
                        .computeIfAbsent(r.statusCode(), k -> new AtomicLong())
                        .incrementAndGet();
                    if (r.statusCode() != 503) {
                      break;
                    }
                    Thread.sleep(
                        1000L
                            * Integer.parseInt(r.headers().firstValue("Retry-After").orElse("1")));
                  }
                  BootstrapBench.expect(c, "GET", base + "certificate/" + name, null, 200);
                  perAgent.add(System.nanoTime() - a);
                } catch (HttpTimeoutException e) {
                  timeouts.incrementAndGet();
                } catch (Exception e) {
                  failures.incrementAndGet();
                  String why = e.getClass().getSimpleName() + ": " + e.getMessage();
                  reasons.merge(why.length() > 120 ? why.substring(0, 120) : why, 1, Integer::sum);
                }
                return null;
              }));
    }
    long cpu0 = BenchServer.cpuMillis(pid);
    long start = System.nanoTime();
    go.countDown();
    for (Future<?> f : fs) {
      f.get();
    }
    pool.shutdown();
    double secs = (System.nanoTime() - start) / 1e9;
    List<Long> sorted = new ArrayList<>(perAgent);
    Collections.sort(sorted);
    System.out.printf(
        "herd of %d agents at once, shed-after %s: CSR answers %s, %d timeouts, %d other failures%n",
        agents, shedAfter, answers, timeouts.get(), failures.get());
    reasons.forEach((why, n) -> System.out.printf("  failed %d times: %s%n", n, why));
    System.out.printf(
        "  %d of %d bootstrapped in %.1f s; per agent p50 %.0f ms, p99 %.0f ms; server CPU %d ms;"
            + " server peak RSS %d MB%n",
        sorted.size(),
        agents,
        secs,
        BootstrapBench.pct(sorted, 0.5),
        BootstrapBench.pct(sorted, 0.99),
        BenchServer.cpuMillis(pid) - cpu0,
        BenchServer.peakRssKb(pid) / 1024);
  }
}
