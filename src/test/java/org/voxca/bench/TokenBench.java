package org.voxca.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import org.voxca.pki.Certificates;
import org.voxca.testing.GemJwt;
import org.voxca.testing.ServerProcess;
import org.voxca.testing.TestClient;
import org.voxca.testing.TestPki;

/**
 * Autosigning with tokens: {@code bench/run-tokens [CSRs per mode=300] [clients=8] [modes=0123]}. A
 * real voxca process per mode, RSA-2048 CA, EC agent keys; each operation submits a CSR carrying a
 * token and fetches the certificate (submission to signed). Modes: autosign true with no token (the
 * floor), voxca's enrolment tokens, the autosign gem's tokens checked in-process, and the same gem
 * tokens checked by a policy executable that does the gem's work (bench/autosign-gem-standin.rb:
 * Ruby, ruby-jwt, a YAML::Store journal). Reports throughput, latency percentiles, the server's CPU
 * per CSR (with its child processes) and its peak memory.
 */
public final class TokenBench {
  private static final String SECRET = "bench-shared-secret-of-the-gem";

  private TokenBench() {}

  private record Mode(String name, String autosign, String hocon) {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 300;
    int clients = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    Path work = Files.createTempDirectory("voxca-tokens");
    Path gemConf = work.resolve("autosign.conf");
    Files.writeString(
        gemConf,
        "jwt_token:\n  secret: \""
            + SECRET
            + "\"\n  journalfile: \""
            + work.resolve("autosign.journal")
            + "\"\n");
    Path standin = Path.of("bench/autosign-gem-standin.rb").toAbsolutePath();
    List<Mode> modes =
        List.of(
            new Mode("autosign = true, no token (the floor)", "true", ""),
            new Mode("voxca enrolment tokens (autosign = false)", "false", ""),
            new Mode(
                "autosign gem tokens, checked in-process",
                "false",
                "voxca { autosign-gem-config: \"" + gemConf + "\" }\n"),
            new Mode(
                "autosign gem tokens, checked by a policy executable (Ruby stand-in)",
                standin.toString(),
                "voxca { autosign-timeout: 60s, autosign-max-concurrent: " + clients + " }\n"));
    System.out.printf(
        "%d CSRs per mode, %d clients, RSA-2048 CA, EC P-256 agent keys%n", n, clients);
    String only = args.length > 2 ? args[2] : "";
    for (int m = 0; m < modes.size(); m++) {
      if (only.isEmpty() || only.contains(Integer.toString(m))) {
        run(work.resolve("mode" + m), modes.get(m), n, clients, gemConf);
      }
    }
  }

  private static void run(Path work, Mode mode, int n, int clients, Path gemConf) throws Exception {
    Files.createDirectories(work);
    int port = ServerProcess.freePort();
    Path conf =
        Files.writeString(
            work.resolve("voxca.conf"),
            "voxca { max-connections-per-address: 0, max-submissions-per-address: 0 }\n"
                + mode.hocon());
    List<String> cmd = new ArrayList<>(List.of("java"));
    cmd.addAll(List.of(System.getProperty("voxca.javaOpts").trim().split(" +")));
    cmd.addAll(
        List.of(
            "-jar",
            System.getProperty("voxca.serverJar"),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            String.valueOf(port),
            "--certname",
            "bench.test",
            "--autosign",
            mode.autosign(),
            "--setting",
            "keylength=2048",
            "--setting",
            "dns_alt_names=localhost,IP:127.0.0.1",
            "--confdir",
            work.resolve("puppet").toString(),
            "--cadir",
            work.resolve("ca").toString(),
            "--config",
            conf.toString()));
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("server.log").toFile());
    pb.environment().put("AUTOSIGN_CONFIG", gemConf.toString());
    Process server = pb.start();
    try {
      BenchServer.waitForStatus(
          HttpClient.newBuilder().sslContext(BenchServer.trustAll()).build(),
          port,
          System.nanoTime(),
          mode.name());
      List<X509Certificate> ca =
          Certificates.readCertificates(Files.readString(work.resolve("ca/ca_crt.pem")));
      TestClient admin = BenchServer.admin(work, ca, port);
      String run = Long.toString(System.nanoTime(), 36);
      int total = n + 50;
      List<String> tokens = new ArrayList<>(total);
      for (int i = 0; i < total; i++) {
        String name = "a" + i + "-" + run + ".bench.test";
        tokens.add(token(mode, admin, name));
      }
      SSLContext tls = TestClient.sslContext(ca, null, null);
      KeyPair key = TestPki.ecKey();
      AtomicLong pending = new AtomicLong();
      BootstrapBench.Op submit =
          i -> submit(tls, port, "a" + i + "-" + run + ".bench.test", tokens.get(i), key, pending);
      BootstrapBench.timed(50, clients, submit); // warm-up: the first 50 names
      long cpu0 = cpuWithChildren(server.pid());
      long t0 = System.nanoTime();
      List<Long> latencies = BootstrapBench.timed(n, clients, i -> submit.run(i + 50));
      double secs = (System.nanoTime() - t0) / 1e9;
      long cpu = cpuWithChildren(server.pid()) - cpu0;
      System.out.printf(
          "%s%n  %.1f CSRs/s signed; submission to certificate p50 %.1f ms, p90 %.1f ms, p99 %.1f ms;"
              + " server CPU %.1f ms per CSR (its policy executables included); left pending %d%n",
          mode.name(),
          latencies.size() / secs,
          pct(latencies, 50),
          pct(latencies, 90),
          pct(latencies, 99),
          (double) cpu / n,
          pending.get());
      System.out.printf("  server peak RSS: %d MB%n", BenchServer.peakRssKb(server.pid()) / 1024);
    } finally {
      server.destroy();
      server.waitFor();
    }
  }

  /**
   * The token for {@code name} in this mode: none, one made by the CA, or one in the gem's format.
   */
  private static String token(Mode mode, TestClient admin, String name) throws Exception {
    if (mode.autosign().equals("true")) {
      return null;
    }
    if (mode.hocon().isEmpty()) {
      HttpResponse<String> r =
          admin.send(
              "POST",
              "/voxca/v1/enrolment_tokens",
              "{\"certname\":\"" + name + "\",\"ttl\":3600}",
              "Content-Type",
              "application/json");
      if (r.statusCode() != 200) {
        throw new IllegalStateException("token: " + r.statusCode() + " " + r.body());
      }
      String body = r.body();
      int at = body.indexOf("\"token\":\"") + 9;
      return body.substring(at, body.indexOf('"', at));
    }
    return gemToken(name);
  }

  /** A one-time token in the autosign gem's format, exp a number as its jwt 2.x would write. */
  static String gemToken(String certname) {
    long exp = System.currentTimeMillis() / 1000 + 3600;
    return GemJwt.token("HS512", SECRET, certname, false, UUID.randomUUID().toString(), exp, false);
  }

  private static void submit(
      SSLContext tls, int port, String name, String token, KeyPair key, AtomicLong pending)
      throws Exception {
    HttpClient c =
        HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(tls).build();
    String base = "https://127.0.0.1:" + port + "/puppet-ca/v1/";
    String csr = TestPki.csr(name).key(key).challengePassword(token).pem();
    HttpResponse<String> put =
        c.send(
            HttpRequest.newBuilder(URI.create(base + "certificate_request/" + name))
                .header("Content-Type", "text/plain")
                .PUT(HttpRequest.BodyPublishers.ofString(csr))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (put.statusCode() != 200) {
      throw new IllegalStateException("PUT " + put.statusCode() + ": " + put.body());
    }
    HttpResponse<String> get =
        c.send(
            HttpRequest.newBuilder(URI.create(base + "certificate/" + name)).build(),
            HttpResponse.BodyHandlers.ofString());
    if (get.statusCode() != 200) {
      pending.incrementAndGet();
      throw new IllegalStateException(name + " was left pending");
    }
  }

  private static double pct(List<Long> sortedNanos, int p) {
    if (sortedNanos.isEmpty()) {
      return Double.NaN;
    }
    int i = Math.min(sortedNanos.size() - 1, (int) Math.ceil(p / 100.0 * sortedNanos.size()) - 1);
    return sortedNanos.get(Math.max(0, i)) / 1e6;
  }

  /** utime + stime of the process and of its waited-for children (policy executables), in ms. */
  private static long cpuWithChildren(long pid) throws Exception {
    String[] f = Files.readString(Path.of("/proc/" + pid + "/stat")).split("\\) ")[1].split(" ");
    return (Long.parseLong(f[11])
            + Long.parseLong(f[12])
            + Long.parseLong(f[13])
            + Long.parseLong(f[14]))
        * 10;
  }
}
