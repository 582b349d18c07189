package org.voxca.bench;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.net.ssl.SSLContext;
import org.voxca.ca.CaLifecycle;
import org.voxca.ca.CaSettings;
import org.voxca.pki.Certificates;
import org.voxca.pki.CrlBuilder;
import org.voxca.pki.Issuer;
import org.voxca.pki.Keys;
import org.voxca.pki.Pem;
import org.voxca.store.puppetdir.CaPaths;
import org.voxca.store.puppetdir.PuppetCaDirectory;
import org.voxca.testing.TestClient;
import org.voxca.testing.TestPki;

/**
 * The operator's endpoints at scale: a CA directory with N signed certificates and N revoked
 * serials already in the CRL, served by a real voxca process; times {@code certificate_statuses}
 * and one revocation. {@code bench/run-scale [N=10000] [keylength=4096] [prepared dir to reuse]};
 * {@code VOXCA_SCALE_PHASES=operator} stops after the revocations (no bootstraps, no 304 load).
 */
public final class ScaleBench {
  /** Bytes read and entries seen (occurrences of {@code {"name":}), without building the body in memory. */
  static long[] countEntries(InputStream in) throws IOException {
    byte[] marker = "{\"name\":".getBytes(StandardCharsets.US_ASCII);
    byte[] buf = new byte[1 << 16];
    long bytes = 0;
    long entries = 0;
    int matched = 0;
    try (in) {
      for (int n; (n = in.read(buf)) > 0; ) {
        bytes += n;
        for (int i = 0; i < n; i++) {
          matched = buf[i] == marker[matched] ? matched + 1 : (buf[i] == marker[0] ? 1 : 0);
          if (matched == marker.length) {
            entries++;
            matched = 0;
          }
        }
      }
    }
    return new long[] {bytes, entries};
  }

  /**
   * A CA directory with {@code n} signed certificates (serials 2 to n+1, one shared EC key) and a
   * CRL of {@code n} other revoked serials.
   */
  static void prepare(Path cadir, int n, int keylength) throws Exception {
    try (PuppetCaDirectory store = new PuppetCaDirectory(CaPaths.under(cadir))) {
      CaSettings s = CaSettings.defaults("bench.test").withKeyLength(keylength);
      Issuer issuer = CaLifecycle.initializeOrAdopt(store, s, Clock.systemUTC());
      store.ensureDirectories();
      KeyPair key = TestPki.ecKey();
      Map<BigInteger, Instant> revoked = new LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        BigInteger serial = store.records().allocateSerial();
        X509Certificate c = TestPki.issue(issuer, "node" + i + ".bench.test", key, serial, false);
        store
            .records()
            .saveCertificate(
                "node" + i + ".bench.test", c, Pem.encode(c).getBytes(StandardCharsets.US_ASCII));
        revoked.put(
            serial.add(BigInteger.valueOf(1_000_000_000L)), Instant.now()); // older revocations
      }
      store
          .documents()
          .replaceCrlChain(
              Pem.encode(
                      CrlBuilder.build(
                          issuer,
                          Instant.now().minusSeconds(300),
                          Instant.now().plus(Duration.ofDays(1825)),
                          BigInteger.ONE,
                          revoked))
                  .getBytes(StandardCharsets.US_ASCII));
    }
  }

  /** Times {@code count} revocations of random nodes (after one not counted, cold). */
  private static void revocations(TestClient admin, Random random, int n, int count, String during)
      throws Exception {
    List<Long> revocations = new ArrayList<>();
    for (int i = -1; i < count; i++) {
      String name =
          "node"
              + random.nextInt(n)
              + ".bench.test"; // not yet revoked (almost surely), even on a reused directory
      long a = System.nanoTime();
      var r =
          admin.put("/puppet-ca/v1/certificate_status/" + name, "{\"desired_state\":\"revoked\"}");
      if (r.statusCode() != 204) {
        throw new IllegalStateException(
            "revoking " + name + ": " + r.statusCode() + " " + r.body());
      }
      if (i < 0) {
        System.out.printf(
            "first revocation%s since start (code paths still cold): %d ms%n",
            during, (System.nanoTime() - a) / 1_000_000);
      } else {
        revocations.add(System.nanoTime() - a);
      }
      Thread.sleep(50); // an operator's pace, not a burst
    }
    BootstrapBench.report(
        "one revocation"
            + during
            + " with "
            + n
            + "+ serials already in the CRL ("
            + count
            + " more, 50 ms apart)",
        revocations,
        revocations.stream().mapToLong(Long::longValue).sum() / 1e9,
        0);
  }

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int keylength = args.length > 1 ? Integer.parseInt(args[1]) : 4096;
    boolean reuse = args.length > 2;
    Path work = reuse ? Path.of(args[2]) : Files.createTempDirectory("voxca-scale");
    Path cadir = work.resolve("ca");
    long t0 = System.nanoTime();
    if (!reuse) {
      prepare(cadir, n, keylength);
    }
    if (!reuse)
      System.out.printf(
          "prepared %d certificates and a CRL of %d serials in %d ms%n",
          n, n, (System.nanoTime() - t0) / 1_000_000);

    int port = 20000 + (int) (ProcessHandle.current().pid() % 20000);
    List<String> cmd =
        BenchServer.serverCommand(
            work,
            port,
            "--setting",
            "keylength=2048",
            "--config",
            BenchServer.opsConfig(BenchServer.renewalConfig(work), true, port + 1).toString());
    long t1 = System.nanoTime();
    Process server = BenchServer.startServer(cmd, work.resolve("server.log"));
    try {
      BenchServer.waitForStatus(
          HttpClient.newBuilder().sslContext(BenchServer.trustAll()).build(),
          port,
          t1,
          n + " certificates, " + n + " revoked serials");
      Path ssl = work.resolve("puppet/ssl");
      TestClient admin =
          new TestClient(
              port,
              Certificates.readCertificates(Files.readString(cadir.resolve("ca_crt.pem"))),
              Certificates.readCertificates(Files.readString(ssl.resolve("certs/bench.test.pem")))
                  .get(0),
              Keys.readKeyPair(Files.readString(ssl.resolve("private_keys/bench.test.pem")))
                  .getPrivate());
      for (int round = 0; round < 4; round++) {
        long cpu = BenchServer.cpuMillis(server.pid());
        long a = System.nanoTime();
        var r = admin.stream("/puppet-ca/v1/certificate_statuses/any_key");
        long[] counted = countEntries(r.body());
        long b = System.nanoTime();
        cpu = BenchServer.cpuMillis(server.pid()) - cpu;
        var p = admin.get("/puppet-ca/v1/certificate_statuses/any_key?state=requested");
        long c = System.nanoTime();
        System.out.printf(
            "certificate_statuses%s (all: %d entries, %d KB, status %d): %d ms, server CPU %d ms"
                + " (target <= 300 ms); ?state=requested: %d ms%n",
            round == 0 ? " first since start" : "",
            counted[1],
            counted[0] / 1024,
            r.statusCode(),
            (b - a) / 1_000_000,
            cpu,
            (c - b) / 1_000_000);
      }
      scrapes(port + 1, n);
      Random random = new Random();
      int count = Integer.getInteger("revocations", 20);
      revocations(admin, random, n, count, "");
      // the same during a CA key rollover: each revocation is listed on both CAs' CRLs
      long a = System.nanoTime();
      var prepare =
          admin.send(
              "POST",
              "/voxca/v1/ca_rollover",
              "{\"action\":\"prepare\",\"key_type\":\"ec\"}",
              "Content-Type",
              "application/json");
      if (prepare.statusCode() != 200) {
        throw new IllegalStateException(
            "rollover prepare: " + prepare.statusCode() + " " + prepare.body());
      }
      System.out.printf(
          "rollover prepare (EC P-384 next CA) with %d+ serials in the CRL: %d ms%n",
          n, (System.nanoTime() - a) / 1_000_000);
      revocations(admin, random, n, count, " during a rollover (both CAs' CRLs)");
      a = System.nanoTime();
      var abort =
          admin.send(
              "POST",
              "/voxca/v1/ca_rollover",
              "{\"action\":\"abort\"}",
              "Content-Type",
              "application/json");
      System.out.printf(
          "rollover abort: %d ms (status %d)%n",
          (System.nanoTime() - a) / 1_000_000, abort.statusCode());
      if ("operator".equals(System.getenv("VOXCA_SCALE_PHASES"))) {
        return; // start-up, listings and revocations only
      }
      // agents keep bootstrapping at a CA this size: part of "under load" for the memory figure
      SSLContext anonymous =
          TestClient.sslContext(
              Certificates.readCertificates(Files.readString(cadir.resolve("ca_crt.pem"))),
              null,
              null);
      KeyPair agentKey = Keys.rsa(2048);
      String run = Long.toString(System.currentTimeMillis(), 36);
      BootstrapBench.phase(
          "warm-up bootstraps at " + n + " certificates",
          100,
          16,
          server.pid(),
          i ->
              BootstrapBench.bootstrap(
                  anonymous, port, "warm" + i + "-" + run + ".bench.test", agentKey));
      double atScale =
          BootstrapBench.rate(
              "bootstrap at " + n + " certificates (autosign, 16 clients, as the agent asks)",
              400,
              16,
              server.pid(),
              i ->
                  BootstrapBench.bootstrap(
                      anonymous, port, "agent" + i + "-" + run + ".bench.test", agentKey));
      ImsLoad.run(
          TestClient.sslContext(
              Certificates.readCertificates(Files.readString(cadir.resolve("ca_crt.pem"))),
              null,
              null),
          port,
          8,
          6,
          "CRL of " + n + " entries");
      System.out.printf("server peak RSS: %d MB%n", BenchServer.peakRssKb(server.pid()) / 1024);
      server.destroy();
      server.waitFor();
      double fresh = freshRate(port + 2);
      System.out.printf(
          "bootstraps/s at %d certificates / on a fresh CA, same run: %.1f / %.1f = %.0f%%"
              + " (target >= 80%%)%n",
          n, atScale, fresh, 100 * atScale / fresh);
    } finally {
      server.destroy();
      server.waitFor();
    }
  }

  /**
   * Bootstraps per second against a fresh CA (same settings, the same 400 agents, 16 at a time).
   */
  static double freshRate(int port) throws Exception {
    Path work = Files.createTempDirectory("voxca-scale-fresh");
    List<String> cmd =
        BenchServer.serverCommand(
            work,
            port,
            "--setting",
            "keylength=2048",
            "--config",
            BenchServer.renewalConfig(work).toString());
    long t = System.nanoTime();
    Process server = BenchServer.startServer(cmd, work.resolve("server.log"));
    try {
      HttpClient insecure = HttpClient.newBuilder().sslContext(BenchServer.trustAll()).build();
      BenchServer.waitForStatus(insecure, port, t, "fresh CA, for the bootstrap baseline");
      SSLContext ctx = TestClient.sslContext(BenchServer.caBundle(insecure, port), null, null);
      KeyPair agentKey = Keys.rsa(2048);
      BootstrapBench.phase(
          "warm-up on the fresh CA",
          100,
          16,
          server.pid(),
          i -> BootstrapBench.bootstrap(ctx, port, "warm" + i + ".bench.test", agentKey));
      double rate =
          BootstrapBench.rate(
              "bootstrap on a fresh CA (autosign, 16 clients, as the agent asks)",
              400,
              16,
              server.pid(),
              i -> BootstrapBench.bootstrap(ctx, port, "agent" + i + ".bench.test", agentKey));
      server.destroy();
      server.waitFor();
      // the same small CA started again: what a restart costs whatever the CA's size
      t = System.nanoTime();
      server = BenchServer.startServer(cmd, work.resolve("server2.log"));
      BenchServer.waitForStatus(insecure, port, t, "restart of that CA: 501 certificates");
      return rate;
    } finally {
      server.destroy();
      server.waitFor();
    }
  }

  /** Times Prometheus scrapes once the census counts the N certificates. */
  static void scrapes(int metricsPort, int n) throws Exception {
    HttpClient c = HttpClient.newHttpClient();
    HttpRequest get =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build();
    long deadline = System.nanoTime() + 60_000_000_000L;
    String body = "";
    while (System.nanoTime() < deadline) {
      body = c.send(get, HttpResponse.BodyHandlers.ofString()).body();
      if (body.lines()
          .anyMatch(
              l ->
                  l.startsWith("voxca_certificates{state=\"signed\"}")
                      && Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)) >= n)) {
        break;
      }
      Thread.sleep(200);
    }
    List<Long> nanos = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      long a = System.nanoTime();
      body = c.send(get, HttpResponse.BodyHandlers.ofString()).body();
      nanos.add(System.nanoTime() - a);
    }
    java.util.Collections.sort(nanos);
    System.out.printf(
        "metrics scrape with %d certificates (%d KB, %d samples): p50 %.1f ms, max %.1f ms%n",
        n,
        body.length() / 1024,
        body.lines().filter(l -> !l.startsWith("#")).count(),
        BootstrapBench.pct(nanos, 0.5),
        nanos.get(nanos.size() - 1) / 1e6);
  }
}
