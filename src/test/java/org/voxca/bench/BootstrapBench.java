package org.voxca.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
 * Plays N agents' bootstrap flows (GET ca, GET crl, PUT csr, GET cert), C at a time, against a real
 * voxca process over TLS (a new TLS connection per agent, as real agents), then If-Modified-Since
 * 304s on one keep-alive connection. Prints start-up time, throughput, p50/p99 latency, the
 * server's peak RSS and the machine's cost of one RSA-4096 signature. Not part of the test run:
 * {@code bench/run [agents] [concurrency] [keylength | ec] [--tls ecdsa|rsa] [--ops] [--store
 * jdbc:postgresql://…]} ({@code ec}: an EC P-256 CA, Puppet's {@code key_type = ec}; {@code --ops}:
 * metrics listener and access log on).
 */
public final class BootstrapBench {
  public static void main(String[] argv) throws Exception {
    List<String> all = new ArrayList<>(List.of(argv));
    String tls = "ecdsa";
    int flag = all.indexOf("--tls");
    if (flag >= 0) {
      tls = all.get(flag + 1);
      all.subList(flag, flag + 2).clear();
    }
    if (!tls.equals("ecdsa") && !tls.equals("rsa")) {
      throw new IllegalArgumentException("--tls ecdsa|rsa, not " + tls);
    }
    String engine = null; // --tls-engine jdk|native|auto: voxca.tls.engine
    int engineFlag = all.indexOf("--tls-engine");
    if (engineFlag >= 0) {
      engine = all.get(engineFlag + 1);
      all.subList(engineFlag, engineFlag + 2).clear();
    }
    boolean ops = all.remove("--ops"); // metrics listener and access log on
    String store = null; // --store <jdbc url>: the PostgreSQL store (password in $PGPASSWORD)
    int storeFlag = all.indexOf("--store");
    if (storeFlag >= 0) {
      store = all.get(storeFlag + 1);
      all.subList(storeFlag, storeFlag + 2).clear();
    }
    String[] args = all.toArray(String[]::new);
    int agents = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 32;
    boolean ecCa = args.length > 2 && args[2].equals("ec");
    int keylength = args.length > 2 && !ecCa ? Integer.parseInt(args[2]) : 4096;
    Path work = Files.createTempDirectory("voxca-bench");
    int port = 20000 + (int) (ProcessHandle.current().pid() % 20000);

    double rsa4096 = BenchServer.rsaSignMillis(4096);
    double rsa2048 = BenchServer.rsaSignMillis(2048);
    System.out.printf("RSA-4096 signature (SHA256withRSA), this machine: %.2f ms%n", rsa4096);
    System.out.printf("RSA-2048 signature (SHA256withRSA), this machine: %.2f ms%n", rsa2048);

    List<String> cmd =
        BenchServer.serverCommand(
            work,
            port,
            "--setting",
            "keylength=" + keylength,
            "--setting",
            "key_type=" + (ecCa ? "ec" : "rsa"),
            "--config",
            BenchServer.storeConfig(
                    BenchServer.opsConfig(
                        BenchServer.renewalConfig(work, tls.equals("ecdsa")), ops, port + 1),
                    store)
                .toString());
    if (engine != null) {
      Files.writeString(
          work.resolve("ca.conf"),
          "voxca.tls.engine = " + engine + "\n",
          java.nio.file.StandardOpenOption.APPEND);
    }
    System.out.println("TLS engine: " + (engine == null ? "the default" : engine));
    System.out.println(store == null ? "store: the CA directory" : "store: PostgreSQL " + store);
    System.out.println(
        ops
            ? "operations on: metrics at 127.0.0.1:" + (port + 1) + ", access log to a file"
            : "operations off: no metrics listener, no access log");
    long t0 = System.nanoTime();
    Process server = BenchServer.startServer(cmd, work.resolve("server.log"));
    try {
      HttpClient insecure = HttpClient.newBuilder().sslContext(BenchServer.trustAll()).build();
      BenchServer.waitForStatus(insecure, port, t0, "fresh CA (keys generated)");
      Thread.sleep(3000);
      System.out.printf(
          "server RSS idle after start: %d MB (peak so far %d MB)%n",
          BenchServer.rssKb(server.pid(), "VmRSS:") / 1024,
          BenchServer.peakRssKb(server.pid()) / 1024);
      List<X509Certificate> ca =
          BenchServer.caBundle(insecure, port); // the store may be a database
      SSLContext ctx = TestClient.sslContext(ca, null, null);
      KeyPair key = Keys.rsa(2048);
      int warm = Math.min(200, Math.max(1, agents / 5));
      phase(
          "warm-up bootstraps (the JIT compiles here; not counted below)",
          warm,
          concurrency,
          server.pid(),
          i -> bootstrap(ctx, port, "warm" + i + ".bench.test", key));
      System.out.printf(
          "server certificates offered: %s (the JDK client negotiates %s)%n",
          ecCa ? "ECDSA P-256 (EC CA)" : tls.equals("ecdsa") ? "ECDSA P-256 and RSA" : "RSA only",
          Handshakes.once(ca, port, null));
      int shakes = Math.max(200, agents / 2);
      Handshakes.phase(
          "full handshakes (TLS 1.3 as negotiated), new client context each",
          ca,
          port,
          shakes,
          concurrency,
          server.pid(),
          null);
      if (!ecCa) {
        Handshakes.phase(
            "full handshakes, RSA server certificate (TLS 1.2 ECDHE-RSA)",
            ca,
            port,
            shakes,
            concurrency,
            server.pid(),
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
      }
      if (tls.equals("ecdsa") || ecCa) {
        Handshakes.phase(
            "full handshakes, ECDSA server certificate (TLS 1.2 ECDHE-ECDSA)",
            ca,
            port,
            shakes,
            concurrency,
            server.pid(),
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
      }
      long cpu0 = BenchServer.cpuMillis(server.pid());
      var threads0 = BenchServer.cpuByThread(server.pid());
      phase(
          "bootstrap (4 requests, new TLS connection each agent)",
          agents,
          concurrency,
          server.pid(),
          i -> bootstrap(ctx, port, "agent" + i + ".bench.test", key));
      double perBootstrap = (double) (BenchServer.cpuMillis(server.pid()) - cpu0) / agents;
      BenchServer.printCpuBreakdown(threads0, BenchServer.cpuByThread(server.pid()), agents);
      double signatures =
          2
              * (keylength == 4096
                  ? rsa4096
                  : keylength == 2048 ? rsa2048 : BenchServer.rsaSignMillis(keylength));
      if (ecCa) {
        System.out.printf("  EC P-256 CA: %.1f ms of server CPU per bootstrap%n", perBootstrap);
      } else
        System.out.printf(
            "  CPU per bootstrap / its two RSA-%d signatures (1 certificate + 1 TLS handshake, %.1f ms): %.2f%n",
            keylength, signatures, perBootstrap / signatures);
      System.out.printf(
          "  server peak RSS after %d CSRs: %d MB%n",
          agents, BenchServer.peakRssKb(server.pid()) / 1024);

      Resumption.phases(ca, port, Math.min(agents, 500), concurrency, server.pid());
      renewalBench(work, ca, key, port, Math.min(agents, 500), concurrency, server.pid());
      revokeOne(work, ca, port, "agent0.bench.test");
      ImsLoad.run(ctx, port, 8, 6, "CRL of 1 entry");
      System.out.printf(
          "  server peak RSS at the end: %d MB%n", BenchServer.peakRssKb(server.pid()) / 1024);

      server.destroy();
      server.waitFor();
      long t1 = System.nanoTime();
      server = BenchServer.startServer(cmd, work.resolve("server2.log"));
      BenchServer.waitForStatus(insecure, port, t1, "restart over " + agents + " certificates");
    } finally {
      server.destroy();
      server.waitFor();
    }
  }

  /** N renewals, C at a time, each on a new mutual-TLS connection with an agent's certificate. */
  static void renewalBench(
      Path work, List<X509Certificate> ca, KeyPair key, int port, int n, int concurrency, long pid)
      throws Exception {
    // the agents' certificates, fetched first (the store may be a database): not timed
    HttpClient fetch =
        HttpClient.newBuilder().sslContext(TestClient.sslContext(ca, null, null)).build();
    List<X509Certificate> certs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      URI u =
          URI.create(
              "https://127.0.0.1:" + port + "/puppet-ca/v1/certificate/agent" + i + ".bench.test");
      certs.add(
          Certificates.readCertificates(
                  fetch
                      .send(HttpRequest.newBuilder(u).build(), HttpResponse.BodyHandlers.ofString())
                      .body())
              .get(0));
    }
    phase(
        "renewal (POST certificate_renewal, new mutual-TLS connection each)",
        n,
        concurrency,
        pid,
        i -> {
          X509Certificate cert = certs.get(i);
          HttpClient c =
              HttpClient.newBuilder()
                  .version(HttpClient.Version.HTTP_1_1)
                  .sslContext(TestClient.sslContext(ca, cert, key.getPrivate()))
                  .build();
          expect(
              c,
              "POST",
              "https://127.0.0.1:" + port + "/puppet-ca/v1/certificate_renewal",
              null,
              200);
        });
  }

  /** One operation of a phase, for agent number {@code i}. */
  @FunctionalInterface
  interface Op {
    void run(int i) throws Exception;
  }

  /**
   * Runs {@code n} operations, {@code concurrency} at a time; reports throughput, latency, server
   * CPU.
   */
  static void phase(String what, int n, int concurrency, long pid, Op op) throws Exception {
    rate(what, n, concurrency, pid, op);
  }

  /** As {@link #phase}, and returns the operations per second. */
  static double rate(String what, int n, int concurrency, long pid, Op op) throws Exception {
    long cpu0 = BenchServer.cpuMillis(pid);
    long start = System.nanoTime();
    AtomicLong failures = new AtomicLong();
    List<Long> latencies = timed(n, concurrency, op, failures);
    double secs = (System.nanoTime() - start) / 1e9;
    long cpu = BenchServer.cpuMillis(pid) - cpu0;
    report(what, latencies, secs, failures.get());
    System.out.printf("  server CPU: %d ms total, %.1f ms per operation%n", cpu, (double) cpu / n);
    return latencies.size() / secs;
  }

  /** Runs {@code n} operations, {@code concurrency} at a time; the sorted latencies of those ok. */
  static List<Long> timed(int n, int concurrency, Op op) throws Exception {
    AtomicLong failures = new AtomicLong();
    List<Long> latencies = timed(n, concurrency, op, failures);
    if (failures.get() > 0) {
      System.out.printf("  %d of %d failed%n", failures.get(), n);
    }
    return latencies;
  }

  private static List<Long> timed(int n, int concurrency, Op op, AtomicLong failures)
      throws Exception {
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    List<Future<?>> fs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int index = i;
      fs.add(
          pool.submit(
              () -> {
                long a = System.nanoTime();
                try {
                  op.run(index);
                  latencies.add(System.nanoTime() - a);
                } catch (Exception e) {
                  failures.incrementAndGet();
                }
              }));
    }
    for (Future<?> f : fs) {
      f.get();
    }
    pool.shutdown();
    List<Long> sorted = new ArrayList<>(latencies);
    Collections.sort(sorted);
    return sorted;
  }

  static void bootstrap(SSLContext ctx, int port, String name, KeyPair key) throws Exception {
    HttpClient c =
        HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(ctx).build();
    String base = "https://127.0.0.1:" + port + "/puppet-ca/v1/";
    expect(c, "GET", base + "certificate/ca", null, 200);
    expect(c, "GET", base + "certificate_revocation_list/ca", null, 200);
    expect(c, "PUT", base + "certificate_request/" + name, TestPki.csr(name).key(key).pem(), 200);
    expect(c, "GET", base + "certificate/" + name, null, 200);
  }

  /** Revokes one agent with the server's own (admin) certificate, so the CRL has one entry. */
  static void revokeOne(Path work, List<X509Certificate> ca, int port, String name)
      throws Exception {
    TestClient admin = BenchServer.admin(work, ca, port);
    int status =
        admin
            .put("/puppet-ca/v1/certificate_status/" + name, "{\"desired_state\":\"revoked\"}")
            .statusCode();
    if (status != 204) {
      throw new IllegalStateException("revoking " + name + ": " + status);
    }
  }

  /**
   * One request as Debian's agent (Puppet 7.23) makes it: its headers, seen on the wire, ask for
   * gzip (Ruby Net::HTTP's default), and a gzipped body is inflated, as the agent does.
   */
  static void expect(HttpClient c, String method, String url, String body, int status)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(60))
            .header("X-Puppet-Version", "7.23.0")
            .header("User-Agent", "Puppet/7.23.0 Ruby/3.1.2-p20 (x86_64-linux-gnu)")
            .header("Accept", "text/plain")
            .header("Accept-Encoding", "gzip;q=1.0,deflate;q=0.6,identity;q=0.3");
    if (body != null) {
      b.header("Content-Type", "text/plain");
    }
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<byte[]> r = c.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    byte[] bytes = r.body();
    if (r.headers().firstValue("Content-Encoding").orElse("").equals("gzip")) {
      try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(bytes))) {
        bytes = in.readAllBytes();
      }
    }
    if (r.statusCode() != status) {
      throw new IllegalStateException(
          method + " " + url + " -> " + r.statusCode() + " " + new String(bytes));
    }
  }

  static void report(String what, List<Long> nanos, double secs, long failures) {
    List<Long> s = new ArrayList<>(nanos);
    Collections.sort(s);
    System.out.printf(
        "%s: %d ok, %d failed, %.1f/s, p50 %.1f ms, p99 %.1f ms%n",
        what, s.size(), failures, s.size() / secs, pct(s, 0.50), pct(s, 0.99));
  }

  static double pct(List<Long> sorted, double p) {
    return sorted.isEmpty()
        ? 0
        : sorted.get((int) Math.min(sorted.size() - 1, Math.floor(p * sorted.size()))) / 1e6;
  }
}
