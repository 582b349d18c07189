package org.voxca.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyPair;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.voxca.pki.Certificates;
import org.voxca.pki.Keys;
import org.voxca.testing.ServerProcess;
import org.voxca.testing.TestClient;

/**
 * The voxca process under benchmark: its command line as {@code ./voxca serve} runs it, its
 * configuration (renewal, operations, store), waiting for it, and what it costs (RSS, CPU), beside
 * this machine's cost of one RSA signature.
 */
final class BenchServer {
  private BenchServer() {}

  /** The CA bundle as an agent's first request fetches it. */
  static List<X509Certificate> caBundle(HttpClient insecure, int port) throws Exception {
    return Certificates.readCertificates(
        insecure
            .send(
                HttpRequest.newBuilder(
                        URI.create("https://127.0.0.1:" + port + "/puppet-ca/v1/certificate/ca"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body());
  }

  /** The bench server's own admin client: its pp_cli_auth certificate under {@code work}. */
  static TestClient admin(Path work, List<X509Certificate> ca, int port) throws IOException {
    Path ssl = work.resolve("puppet/ssl");
    return new TestClient(
        port,
        ca,
        Certificates.readCertificates(Files.readString(ssl.resolve("certs/bench.test.pem"))).get(0),
        Keys.readKeyPair(Files.readString(ssl.resolve("private_keys/bench.test.pem")))
            .getPrivate());
  }

  /** Starts the server process, its output to {@code log}. */
  static Process startServer(List<String> cmd, Path log) throws IOException {
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  /** The command that runs voxca as {@code ./voxca serve} does, autosigning, plus {@code extra}. */
  static List<String> serverCommand(Path work, int port, String... extra) {
    List<String> cmd = new ArrayList<>(List.of("java"));
    cmd.addAll(List.of(System.getProperty("voxca.javaOpts").trim().split(" +")));
    cmd.addAll(List.of("-jar", System.getProperty("voxca.serverJar")));
    cmd.addAll(ServerProcess.serveArgs(port, "bench.test"));
    cmd.addAll(
        List.of(
            "--confdir",
            work.resolve("puppet").toString(),
            "--cadir",
            work.resolve("ca").toString()));
    cmd.addAll(List.of(extra));
    return cmd;
  }

  /** With a JDBC URL: the PostgreSQL store, its password from {@code $PGPASSWORD}. */
  static Path storeConfig(Path config, String url) throws IOException {
    if (url != null) {
      Path pw = config.resolveSibling("pg-password");
      Files.writeString(pw, System.getenv().getOrDefault("PGPASSWORD", "") + "\n");
      Files.writeString(
          config,
          "voxca { store { url: \""
              + url
              + "\", user: "
              + System.getenv().getOrDefault("PGUSER", "voxca")
              + ", password-file: \""
              + pw
              + "\" } }\n",
          StandardOpenOption.APPEND);
    }
    return config;
  }

  /** With {@code on}: the metrics listener on {@code metricsPort} and the access log appended. */
  static Path opsConfig(Path config, boolean on, int metricsPort) throws IOException {
    if (on) {
      Files.writeString(
          config,
          "voxca { metrics { port: "
              + metricsPort
              + " }, access-log: \""
              + config.resolveSibling("access.log")
              + "\" }\n",
          StandardOpenOption.APPEND);
    }
    return config;
  }

  static Path renewalConfig(Path work) throws IOException {
    return renewalConfig(work, true);
  }

  static Path renewalConfig(Path work, boolean ecdsa) throws IOException {
    return Files.writeString(
        work.resolve("ca.conf"),
        "certificate-authority { allow-auto-renewal: true }\n"
            // every simulated agent connects from 127.0.0.1 and its JDK client keeps its
            // connection open: the per-address cap, meant for one real client, is off here
            + "voxca { max-connections-per-address: 0, max-submissions-per-address: 0,"
            + " tls { ecdsa-server-certificate: "
            + ecdsa
            + " } }\n");
  }

  static void waitForStatus(HttpClient c, int port, long t0, String what) throws Exception {
    HttpRequest r =
        HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/status/v1/simple"))
            .build();
    for (int i = 0; i < 1200; i++) {
      try {
        if (c.send(r, HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
          System.out.printf(
              "start-up to first 200 on /status/v1/simple (%s): %d ms%n",
              what, (System.nanoTime() - t0) / 1_000_000);
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("server did not start");
  }

  static double rsaSignMillis(int bits) throws Exception {
    KeyPair k = Keys.rsa(bits);
    byte[] data = new byte[1024];
    Signature s = Signature.getInstance("SHA256withRSA");
    for (int i = 0; i < 20; i++) {
      s.initSign(k.getPrivate());
      s.update(data);
      s.sign();
    }
    int n = 100;
    long a = System.nanoTime();
    for (int i = 0; i < n; i++) {
      s.initSign(k.getPrivate());
      s.update(data);
      s.sign();
    }
    return (System.nanoTime() - a) / 1e6 / n;
  }

  static long peakRssKb(long pid) throws IOException {
    return rssKb(pid, "VmHWM:");
  }

  static long rssKb(long pid, String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith(field)) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    return -1;
  }

  static long cpuMillis(long pid) throws IOException {
    String[] f = Files.readString(Path.of("/proc/" + pid + "/stat")).split("\\) ")[1].split(" ");
    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
    return ticks * 10;
  }

  /**
   * The process's CPU by thread kind (request threads, JIT compilers, collector, other), user and
   * system time apart, in milliseconds: where a phase's CPU went.
   */
  static java.util.Map<String, long[]> cpuByThread(long pid) throws IOException {
    java.util.Map<String, long[]> out = new java.util.TreeMap<>();
    try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      for (Path t : tasks.toList()) {
        String stat;
        try {
          stat = Files.readString(t.resolve("stat"));
        } catch (IOException gone) {
          continue; // the thread ended meanwhile
        }
        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        String kind =
            name.startsWith("voxca-http") || name.startsWith("qtp")
                ? "requests"
                : name.startsWith("C2 ") || name.startsWith("C1 ")
                    ? "JIT compilers"
                    : name.startsWith("GC") || name.startsWith("VM Thread") ? "GC and VM" : "other";
        long[] sum = out.computeIfAbsent(kind, k -> new long[2]);
        sum[0] += Long.parseLong(f[11]) * 10;
        sum[1] += Long.parseLong(f[12]) * 10;
      }
    }
    return out;
  }

  /** Prints where the CPU between two {@link #cpuByThread} snapshots went, per operation. */
  static void printCpuBreakdown(
      java.util.Map<String, long[]> before, java.util.Map<String, long[]> after, int operations) {
    StringBuilder b = new StringBuilder("  server CPU per operation by thread (user + system):");
    after.forEach(
        (kind, a) -> {
          long[] z = before.getOrDefault(kind, new long[2]);
          b.append(
              String.format(
                  " %s %.1f + %.1f ms;",
                  kind, (double) (a[0] - z[0]) / operations, (double) (a[1] - z[1]) / operations));
        });
    System.out.println(b);
  }

  static SSLContext trustAll() throws Exception {
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(
        null,
        new TrustManager[] {
          new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] c, String a) {}

            @Override
            public void checkServerTrusted(X509Certificate[] c, String a) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
              return new X509Certificate[0];
            }
          }
        },
        null);
    return ctx;
  }
}
