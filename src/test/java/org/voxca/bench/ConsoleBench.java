package org.voxca.bench;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.voxca.pki.Certificates;
import org.voxca.store.puppetdir.CaPaths;
import org.voxca.store.puppetdir.PuppetCaDirectory;
import org.voxca.testing.TestClient;
import org.voxca.testing.TestPki;

/**
 * The operator console's pages at scale: a CA directory with N signed certificates (and N revoked
 * serials on its CRL) plus 60 pending requests, served by a real voxca process; each page is asked
 * for 40 times by an admin's session after 5 warm-up requests, and its latency percentiles are
 * printed with the server's peak RSS. {@code bench/run-console [N=100000] [prepared dir to reuse]}.
 */
public final class ConsoleBench {
  private ConsoleBench() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    boolean reuse = args.length > 1;
    Path work = reuse ? Path.of(args[1]) : Files.createTempDirectory("voxca-console-bench");
    Path cadir = work.resolve("ca");
    if (!reuse) {
      long t0 = System.nanoTime();
      ScaleBench.prepare(cadir, n, 2048);
      try (PuppetCaDirectory store = new PuppetCaDirectory(CaPaths.under(cadir))) {
        for (int i = 0; i < 60; i++) {
          String name = "pending" + i + ".bench.test";
          store
              .records()
              .saveCsr(
                  name,
                  TestPki.csr(name)
                      .dns(name, "alias" + i + ".bench.test")
                      .extension("1.3.6.1.4.1.34380.1.1.13", false, "web")
                      .pem()
                      .getBytes(StandardCharsets.US_ASCII));
        }
      }
      System.out.printf(
          "prepared %d certificates and 60 requests in %d ms (%s)%n",
          n, (System.nanoTime() - t0) / 1_000_000, work);
    }
    int port = 20000 + (int) (ProcessHandle.current().pid() % 20000);
    List<String> cmd = BenchServer.serverCommand(work, port, "--setting", "keylength=2048");
    Process server = BenchServer.startServer(cmd, work.resolve("server.log"));
    try {
      BenchServer.waitForStatus(
          java.net.http.HttpClient.newBuilder().sslContext(BenchServer.trustAll()).build(),
          port,
          System.nanoTime(),
          n + " certificates");
      TestClient admin =
          BenchServer.admin(
              work,
              Certificates.readCertificates(Files.readString(cadir.resolve("ca_crt.pem"))),
              port);
      HttpResponse<String> first = admin.get("/console/");
      Matcher m =
          Pattern.compile("(__Host-voxca_console=[^;]+)")
              .matcher(first.headers().firstValue("set-cookie").orElse(""));
      if (first.statusCode() != 200 || !m.find()) {
        throw new IllegalStateException("no console session: " + first.statusCode());
      }
      String cookie = m.group(1);
      String soon = LocalDate.now(ZoneOffset.UTC).plusYears(6).toString();
      for (String page :
          List.of(
              "/console/",
              "/console/certificates",
              "/console/certificates?glob=node4242*",
              "/console/certificates?state=signed&expiring=" + soon + "&page=500",
              "/console/certificate?name=node777.bench.test",
              "/console/requests",
              "/console/requests/bulk?glob=pending*",
              "/console/audit")) {
        List<Long> nanos = new ArrayList<>();
        int bytes = 0;
        for (int i = -5; i < 40; i++) {
          long a = System.nanoTime();
          HttpResponse<String> r = admin.get(page, "Cookie", cookie);
          long b = System.nanoTime();
          if (r.statusCode() != 200) {
            throw new IllegalStateException(page + ": " + r.statusCode() + " " + r.body());
          }
          bytes = r.body().length();
          if (i >= 0) {
            nanos.add(b - a);
          }
        }
        Collections.sort(nanos);
        System.out.printf(
            "%-62s %4d KB  p50 %6.1f ms  p95 %6.1f ms  max %6.1f ms (target <= 300 ms)%n",
            page,
            bytes / 1024,
            BootstrapBench.pct(nanos, 0.50),
            BootstrapBench.pct(nanos, 0.95),
            nanos.get(nanos.size() - 1) / 1e6);
      }
      System.out.printf("server peak RSS: %d MB%n", BenchServer.peakRssKb(server.pid()) / 1024);
    } finally {
      server.destroy();
      server.waitFor();
    }
  }
}
