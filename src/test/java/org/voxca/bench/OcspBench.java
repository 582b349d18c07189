package org.voxca.bench;

import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.voxca.ca.CaLifecycle;
import org.voxca.ca.CaSettings;
import org.voxca.pki.Certificates;
import org.voxca.pki.Keys;
import org.voxca.store.puppetdir.CaPaths;
import org.voxca.store.puppetdir.PuppetCaDirectory;
import org.voxca.testing.Ocsp;
import org.voxca.testing.TestClient;

/**
 * OCSP at scale: {@code bench/run-ocsp [certificates=100000] [ca keylength=4096]}. A CA directory
 * with N certificates served by a real voxca process; OCSP responses/s for good serials (a working
 * set asked again and again, as a fleet's clients do), for unknown serials (each one new), and with
 * nonces; then agent bootstraps alone and during an OCSP flood from 8 clients.
 */
public final class OcspBench {
  private OcspBench() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int keylength = args.length > 1 ? Integer.parseInt(args[1]) : 4096;
    Path work = Files.createTempDirectory("voxca-ocsp");
    long t0 = System.nanoTime();
    prepare(work.resolve("ca"), n, keylength);
    System.out.printf(
        "prepared an inventory of %d certificates (RSA-%d CA) in %d ms%n",
        n, keylength, (System.nanoTime() - t0) / 1_000_000);
    int port = 20000 + (int) (ProcessHandle.current().pid() % 20000);
    List<String> cmd =
        BenchServer.serverCommand(
            work,
            port,
            "--setting",
            "keylength=2048",
            "--config",
            BenchServer.renewalConfig(work).toString());
    Process server = BenchServer.startServer(cmd, work.resolve("server.log"));
    try {
      BenchServer.waitForStatus(
          HttpClient.newBuilder().sslContext(BenchServer.trustAll()).build(),
          port,
          System.nanoTime(),
          n + " certificates");
      List<X509Certificate> trust =
          Certificates.readCertificates(Files.readString(work.resolve("ca/ca_crt.pem")));
      X509Certificate ca = trust.get(0);
      SSLContext tls = TestClient.sslContext(trust, null, null);
      HttpClient http = HttpClient.newBuilder().sslContext(tls).build();
      String url = "https://127.0.0.1:" + port + "/puppet-ca/v1/ocsp";
      int workingSet = 1000;
      AtomicLong unknown = new AtomicLong(10_000_000L);
      AtomicLong tryLater = new AtomicLong();
      BootstrapBench.Op good = i -> ask(http, url, ca, serial(n, workingSet), null, tryLater);
      BootstrapBench.Op fresh =
          i -> ask(http, url, ca, BigInteger.valueOf(unknown.incrementAndGet()), null, tryLater);
      BootstrapBench.Op nonce =
          i -> ask(http, url, ca, serial(n, workingSet), new byte[] {(byte) i, 1, 2, 3}, tryLater);
      BootstrapBench.phase(
          "OCSP warm-up (working set of " + workingSet + ")", 5000, 16, server.pid(), good);
      report(
          "OCSP good, a working set of " + workingSet + " serials among " + n,
          40_000,
          good,
          server,
          tryLater);
      report("OCSP unknown, every serial new", 5_000, fresh, server, tryLater);
      report("OCSP good with a nonce", 5_000, nonce, server, tryLater);

      KeyPair agentKey = Keys.rsa(2048);
      String run = Long.toString(System.currentTimeMillis(), 36);
      BootstrapBench.phase(
          "bootstrap, no OCSP load (autosign, 16 clients)",
          400,
          16,
          server.pid(),
          i -> BootstrapBench.bootstrap(tls, port, "a" + i + "-" + run + ".bench.test", agentKey));
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong flooded = new AtomicLong();
      Thread[] flood = new Thread[8];
      for (int t = 0; t < flood.length; t++) {
        int kind = t;
        flood[t] =
            new Thread(
                () -> {
                  for (int i = 0; !stop.get(); i++) {
                    try {
                      (kind % 4 == 0 ? fresh : kind % 4 == 1 ? nonce : good).run(i);
                      flooded.incrementAndGet();
                    } catch (Exception e) {
                      // counted by the phase's failures only for bootstraps
                    }
                  }
                });
        flood[t].start();
      }
      long f0 = System.nanoTime();
      BootstrapBench.phase(
          "bootstrap during an OCSP flood from 8 clients (autosign, 16 clients)",
          400,
          16,
          server.pid(),
          i -> BootstrapBench.bootstrap(tls, port, "b" + i + "-" + run + ".bench.test", agentKey));
      stop.set(true);
      for (Thread t : flood) {
        t.join();
      }
      System.out.printf(
          "  the flood meanwhile: %.0f OCSP responses/s%n",
          flooded.get() / ((System.nanoTime() - f0) / 1e9));
      System.out.printf("server peak RSS: %d MB%n", BenchServer.peakRssKb(server.pid()) / 1024);
    } finally {
      server.destroy();
      server.waitFor();
    }
  }

  /**
   * A CA and an inventory of {@code n} issued serials (2 to n+1): what OCSP consults. The
   * certificates themselves are not written (signing 100,000 with an RSA-4096 key takes minutes);
   * an inventory line without its file is what a crash between the two writes leaves, and voxca
   * serves it as issued.
   */
  static void prepare(Path cadir, int n, int keylength) throws Exception {
    try (PuppetCaDirectory store = new PuppetCaDirectory(CaPaths.under(cadir))) {
      CaLifecycle.initializeOrAdopt(
          store, CaSettings.defaults("bench.test").withKeyLength(keylength), Clock.systemUTC());
    }
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < n; i++) {
      lines.append(
          String.format(
              "0x%04X 2026-01-01T00:00:00UTC 2031-01-01T00:00:00UTC /CN=node%d.bench.test%n",
              i + 2, i));
    }
    Files.writeString(cadir.resolve("inventory.txt"), lines.toString(), StandardOpenOption.APPEND);
    Files.writeString(cadir.resolve("serial"), String.format("%04X", n + 2));
  }

  private static void report(
      String what, int count, BootstrapBench.Op op, Process server, AtomicLong tryLater)
      throws Exception {
    tryLater.set(0);
    BootstrapBench.phase(what, count, 16, server.pid(), op);
    System.out.printf("  tryLater answers: %d of %d%n", tryLater.get(), count);
  }

  /** One of the first {@code workingSet} serials of the N issued (serials 2 to N+1). */
  private static BigInteger serial(int n, int workingSet) {
    return BigInteger.valueOf(2 + ThreadLocalRandom.current().nextInt(Math.min(n, workingSet)));
  }

  private static void ask(
      HttpClient http,
      String url,
      X509Certificate ca,
      BigInteger serial,
      byte[] nonce,
      AtomicLong tryLater)
      throws Exception {
    HttpResponse<byte[]> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/ocsp-request")
                .POST(
                    HttpRequest.BodyPublishers.ofByteArray(
                        Ocsp.request(ca, List.of(serial), nonce)))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    int status = new OCSPResp(r.body()).getStatus();
    if (r.statusCode() != 200 || (status != OCSPResp.SUCCESSFUL && status != OCSPResp.TRY_LATER)) {
      throw new IllegalStateException("OCSP " + r.statusCode() + " status " + status);
    }
    if (status == OCSPResp.TRY_LATER) {
      tryLater.incrementAndGet();
    }
  }
}
