package org.voxca.bench;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.voxca.pki.Keys;
import org.voxca.testing.TestClient;

/**
 * Bootstrap throughput and server CPU per bootstrap, one run: the CA directory (one server), the
 * PostgreSQL store with one replica, and with two replicas on one database (the agents alternating
 * between them), each on a fresh CA. PostgreSQL's own CPU (every {@code postgres} process) is
 * reported apart. Last, two replicas sharing a CA key encrypted in the database: the second starts
 * with only the passphrase (its start-up time is printed). {@code bench/run-replicas [agents=600]
 * [concurrency=32] [keylength=4096]}, on the PostgreSQL of {@code scripts/postgres.sh} (a fresh
 * database per configuration).
 */
public final class ReplicaBench {
  public static void main(String[] args) throws Exception {
    int agents = args.length > 0 ? Integer.parseInt(args[0]) : 600;
    int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 32;
    int keylength = args.length > 2 ? Integer.parseInt(args[2]) : 4096;
    String base = System.getenv("VOXCA_TEST_PG_URL");
    if (base == null) {
      throw new IllegalStateException("no PostgreSQL: run through bench/run-replicas");
    }
    double rsa = BenchServer.rsaSignMillis(keylength);
    System.out.printf("RSA-%d signature, this machine: %.2f ms%n", keylength, rsa);
    List<String> rows = new ArrayList<>();
    rows.add(run("CA directory, 1 server", null, 1, agents, concurrency, keylength, rsa, false));
    String[] what = {
      "PostgreSQL, 1 replica",
      "PostgreSQL, 2 replicas",
      "PostgreSQL, 2 replicas, encrypted key in the database"
    };
    for (int i = 0; i < what.length; i++) {
      rows.add(
          run(
              what[i],
              database(base),
              i == 0 ? 1 : 2,
              agents,
              concurrency,
              keylength,
              rsa,
              i == 2));
    }
    System.out.println();
    System.out.println(
        "| store | bootstraps/s | p99 | voxca CPU per bootstrap (× its two RSA signatures) |"
            + " PostgreSQL CPU per bootstrap | peak RSS per replica |");
    System.out.println("|---|---|---|---|---|---|");
    rows.forEach(System.out::println);
  }

  private static String database(String base) throws Exception {
    String name = "voxca_bench_" + ProcessHandle.current().pid() + "_" + System.nanoTime() % 10000;
    try (Connection c =
        DriverManager.getConnection(
            base + "postgres",
            System.getenv("VOXCA_TEST_PG_USER"),
            System.getenv("VOXCA_TEST_PG_PASSWORD"))) {
      c.createStatement().execute("CREATE DATABASE " + name);
    }
    return base + name;
  }

  private static String run(
      String what,
      String url,
      int replicas,
      int agents,
      int concurrency,
      int keylength,
      double rsa,
      boolean encrypted)
      throws Exception {
    System.out.println("== " + what);
    int port0 = 20000 + (int) (ProcessHandle.current().pid() % 20000);
    List<Process> servers = new ArrayList<>();
    List<Integer> ports = new ArrayList<>();
    try {
      HttpClient insecure = HttpClient.newBuilder().sslContext(BenchServer.trustAll()).build();
      Path first = null;
      for (int r = 0; r < replicas; r++) {
        Path work = Files.createTempDirectory("voxca-replica");
        if (first != null && !encrypted) { // the CA key, copied as an operator does
          Files.createDirectories(work.resolve("ca"));
          Files.copy(first.resolve("ca/ca_key.pem"), work.resolve("ca/ca_key.pem"));
        }
        int port = port0 + 2 * r;
        Path config = BenchServer.storeConfig(BenchServer.renewalConfig(work), url);
        if (encrypted) { // the key sealed in the database: a replica needs only the passphrase
          Path pass = Files.writeString(work.resolve("ca-passphrase"), "bench passphrase\n");
          Files.writeString(
              config,
              "voxca { ca-key { type: encrypted, passphrase-file: \"" + pass + "\" } }\n",
              java.nio.file.StandardOpenOption.APPEND);
        }
        long t0 = System.nanoTime();
        servers.add(
            BenchServer.startServer(
                BenchServer.serverCommand(
                    work,
                    port,
                    "--setting",
                    "keylength=" + keylength,
                    "--config",
                    config.toString()),
                work.resolve("server.log")));
        BenchServer.waitForStatus(insecure, port, t0, "replica " + (r + 1));
        ports.add(port);
        first = first == null ? work : first;
      }
      List<X509Certificate> ca = BenchServer.caBundle(insecure, ports.get(0));
      SSLContext ctx = TestClient.sslContext(ca, null, null);
      KeyPair key = Keys.rsa(2048);
      BootstrapBench.phase(
          "warm-up",
          200,
          concurrency,
          servers.get(0).pid(),
          i ->
              BootstrapBench.bootstrap(
                  ctx, ports.get(i % replicas), "warm" + i + ".bench.test", key));
      long cpu0 = cpu(servers);
      long pg0 = postgresCpuMillis();
      long start = System.nanoTime();
      List<Long> latencies =
          BootstrapBench.timed(
              agents,
              concurrency,
              i ->
                  BootstrapBench.bootstrap(
                      ctx, ports.get(i % replicas), "agent" + i + ".bench.test", key));
      double secs = (System.nanoTime() - start) / 1e9;
      double perBootstrap = (double) (cpu(servers) - cpu0) / agents;
      double pgPer = url == null ? 0 : (double) (postgresCpuMillis() - pg0) / agents;
      long peak = 0;
      for (Process p : servers) {
        peak = Math.max(peak, BenchServer.peakRssKb(p.pid()) / 1024);
      }
      String row =
          String.format(
              "| %s | %.1f | %.0f ms | %.1f ms (%.2f ×) | %s | %d MB |",
              what,
              latencies.size() / secs,
              BootstrapBench.pct(latencies, 0.99),
              perBootstrap,
              perBootstrap / (2 * rsa),
              url == null ? "–" : String.format("%.1f ms", pgPer),
              peak);
      System.out.println(row);
      return row;
    } finally {
      for (Process p : servers) {
        p.destroy();
        p.waitFor();
      }
    }
  }

  private static long cpu(List<Process> servers) throws Exception {
    long sum = 0;
    for (Process p : servers) {
      sum += BenchServer.cpuMillis(p.pid());
    }
    return sum;
  }

  /** The CPU of every {@code postgres} process on this machine (the engine and its backends). */
  private static long postgresCpuMillis() {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false))
        .mapToLong(
            p -> {
              try {
                return BenchServer.cpuMillis(p.pid());
              } catch (Exception e) {
                return 0; // the backend ended meanwhile
              }
            })
        .sum();
  }
}
