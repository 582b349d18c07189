package org.voxca.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.voxca.pki.Certificates;
import org.voxca.pki.Keys;
import org.voxca.testing.RawTls;
import org.voxca.testing.Scrape;
import org.voxca.testing.ServerProcess;
import org.voxca.testing.TestClient;

/**
 * The voxca process a soak drives: its own JVM (a 256 MB heap, the serial collector), autosigning
 * and renewing, metrics on; and what it holds, read from outside: open descriptors and threads
 * (from /proc), open connections and heap (from its metrics, the heap after a full collection asked
 * for with jcmd).
 */
final class SoakServer implements AutoCloseable {
  static final String CERTNAME = "soak.test";
  final int port;
  final int metrics;
  final Process process;
  final List<X509Certificate> trust;
  final SSLContext anonymous;
  final SSLContext admin;

  private SoakServer(int port, int metrics, Process process, Path ssldir) throws Exception {
    this.port = port;
    this.metrics = metrics;
    this.process = process;
    this.trust =
        Certificates.readCertificates(Files.readString(ssldir.resolve("certs").resolve("ca.pem")));
    this.anonymous = TestClient.sslContext(trust, null, null);
    X509Certificate cert =
        Certificates.readCertificates(
                Files.readString(ssldir.resolve("certs").resolve(CERTNAME + ".pem")))
            .get(0);
    PrivateKey key =
        Keys.readKeyPair(
                Files.readString(ssldir.resolve("private_keys").resolve(CERTNAME + ".pem")))
            .getPrivate();
    this.admin = TestClient.sslContext(trust, cert, key);
  }

  /** Starts voxca under {@code work} with {@code storeHocon} (empty: the CA directory). */
  static SoakServer start(Path work, String storeHocon) throws Exception {
    int port = ServerProcess.freePort();
    int metrics = ServerProcess.freePort();
    Files.createDirectories(work);
    Path config =
        Files.writeString(
            work.resolve("voxca.conf"),
            // every simulated agent submits from 127.0.0.1: the per-address submission rate,
            // meant for one real client, is off here
            "voxca { max-submissions-per-address: 0, metrics { port: "
                + metrics
                + " } }\ncertificate-authority { allow-auto-renewal: true }\n"
                + storeHocon);
    Path ssldir = work.resolve("ssl");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "java",
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                "org.voxca.Main"));
    cmd.addAll(ServerProcess.serveArgs(port, CERTNAME));
    cmd.addAll(
        List.of(
            "--config",
            config.toString(),
            "--confdir",
            work.resolve("puppet").toString(),
            "--cadir",
            work.resolve("ca").toString(),
            "--ssldir",
            ssldir.toString(),
            "--setting",
            "keylength=2048"));
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("server.log").toFile()))
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IllegalStateException("voxca exited; see " + work.resolve("server.log"));
      }
      if (Files.exists(ssldir.resolve("private_keys").resolve(CERTNAME + ".pem"))) {
        try {
          SoakServer s = new SoakServer(port, metrics, p, ssldir);
          try (RawTls t = RawTls.open(port, s.anonymous, null)) {
            if (t.exchange("GET", "/status/v1/simple", null).status() == 200) {
              return s;
            }
          }
        } catch (Exception notYet) {
          // still starting
        }
      }
      Thread.sleep(250);
    }
    p.destroyForcibly();
    throw new IllegalStateException(
        "voxca did not become ready; see " + work.resolve("server.log"));
  }

  /** Open file descriptors of the process. */
  int descriptors() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(process.pid()), "fd"))) {
      return (int) fds.count();
    }
  }

  /** Threads of the process. */
  int threads() throws IOException {
    for (String line :
        Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
      if (line.startsWith("Threads:")) {
        return Integer.parseInt(line.substring(8).trim());
      }
    }
    return -1;
  }

  /** One scrape of the metrics. */
  Map<String, Double> scrape() {
    return Scrape.of(metrics);
  }

  /** Heap in use, in MB; after a full collection when {@code collect}. */
  double heapMb(boolean collect) throws Exception {
    if (collect) {
      Process gc =
          new ProcessBuilder("jcmd", Long.toString(process.pid()), "GC.run")
              .redirectErrorStream(true)
              .start();
      gc.getInputStream().readAllBytes();
      gc.waitFor(30, TimeUnit.SECONDS);
    }
    double bytes = 0;
    for (Map.Entry<String, Double> e : scrape().entrySet()) {
      if (e.getKey().startsWith("voxca_jvm_memory_used_bytes{")
          && e.getKey().contains("area=\"heap\"")) {
        bytes += e.getValue();
      }
    }
    return bytes / (1024 * 1024);
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
