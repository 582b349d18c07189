package org.voxca.bench;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import org.voxca.pkcs11.TokenConfig;
import org.voxca.pkcs11.TokenKeys;
import org.voxca.pki.Keys;
import org.voxca.testing.SoftHsm;
import org.voxca.testing.TestClient;

/**
 * The cost of a CA key in a PKCS#11 token (SoftHSM2) against a file key: {@code bench/run-hsm
 * [agents=600] [concurrency=16]}. First signatures per second in one process (one and two threads,
 * RSA-4096 and EC P-256), then agent bootstraps per second against a voxca process whose CA key is
 * a file, then one whose key is in the token, for each key type.
 */
public final class HsmBench {
  private static final byte[] DATA = new byte[512];

  private HsmBench() {}

  public static void main(String[] args) throws Exception {
    int agents = args.length > 0 ? Integer.parseInt(args[0]) : 600;
    int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 16;
    Path work = Files.createTempDirectory("voxca-hsm-bench");
    SoftHsm.Token token = SoftHsm.create("bench", work);
    TokenKeys keys =
        TokenKeys.open(
            new TokenConfig(
                SoftHsm.LIBRARY,
                token.label(),
                "sig",
                token.pin().toCharArray(),
                Duration.ofSeconds(5)));
    System.out.println("== signatures per second, in one process (SHA-256 over 512 bytes)");
    for (String kind : List.of("RSA-4096", "EC P-256")) {
      boolean rsa = kind.startsWith("RSA");
      KeyPair file = rsa ? Keys.rsa(4096) : Keys.ec("secp256r1");
      KeyPair inToken =
          rsa ? keys.generate("sig-rsa", 4096, null) : keys.generate("sig-ec", 0, "secp256r1");
      String alg = rsa ? "SHA256withRSA" : "SHA256withECDSA";
      for (int threads : new int[] {1, 2}) {
        System.out.printf(
            "  %-9s %d thread%s: file key %,8.0f/s   SoftHSM2 %,8.0f/s%n",
            kind,
            threads,
            threads == 1 ? " " : "s",
            rate(alg, file.getPrivate(), threads),
            rate(alg, inToken.getPrivate(), threads));
      }
    }
    keys.close();

    System.out.printf(
        "%n== agent bootstraps (4 requests, new TLS connection each), %d agents, %d at a time%n",
        agents, concurrency);
    int firstPort = 21000 + (int) (ProcessHandle.current().pid() % 20000);
    int run = 0;
    for (String kind : List.of("rsa", "ec")) {
      for (boolean hsm : new boolean[] {false, true}) {
        int port = firstPort + run++;
        Path dir = Files.createDirectories(work.resolve(kind + (hsm ? "-hsm" : "-file")));
        Path conf = BenchServer.renewalConfig(dir);
        if (hsm) {
          Files.writeString(
              conf, token.hocon(kind + "-ca", "5s"), java.nio.file.StandardOpenOption.APPEND);
        }
        List<String> cmd =
            BenchServer.serverCommand(
                dir,
                port,
                "--setting",
                "keylength=4096",
                "--setting",
                "key_type=" + kind,
                "--config",
                conf.toString());
        System.out.printf(
            "-- %s CA, key %s%n",
            kind.equals("rsa") ? "RSA-4096" : "EC P-256", hsm ? "in SoftHSM2" : "in a file");
        long t0 = System.nanoTime();
        Process server = BenchServer.startServer(cmd, dir.resolve("server.log"));
        try {
          HttpClient insecure = HttpClient.newBuilder().sslContext(BenchServer.trustAll()).build();
          BenchServer.waitForStatus(insecure, port, t0, "fresh CA, keys generated");
          List<X509Certificate> ca = BenchServer.caBundle(insecure, port);
          SSLContext ctx = TestClient.sslContext(ca, null, null);
          KeyPair agentKey = Keys.rsa(2048);
          BootstrapBench.phase(
              "  warm-up (not compared)",
              Math.min(150, agents / 4),
              concurrency,
              server.pid(),
              i -> BootstrapBench.bootstrap(ctx, port, "warm" + i + ".test", agentKey));
          BootstrapBench.phase(
              "  bootstraps",
              agents,
              concurrency,
              server.pid(),
              i -> BootstrapBench.bootstrap(ctx, port, "agent" + i + ".test", agentKey));
          System.out.printf(
              "  server peak RSS: %d MB%n", BenchServer.peakRssKb(server.pid()) / 1024);
        } finally {
          server.destroy();
          server.waitFor();
        }
      }
    }
  }

  /** Signatures per second with {@code key} over about two seconds on {@code threads} threads. */
  private static double rate(String alg, PrivateKey key, int threads) throws Exception {
    sign(alg, key, 20);
    AtomicLong done = new AtomicLong();
    long end = System.nanoTime() + 2_000_000_000L;
    List<Thread> ts = new ArrayList<>();
    long start = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      Thread th =
          new Thread(
              () -> {
                try {
                  while (System.nanoTime() < end) {
                    sign(alg, key, 5);
                    done.addAndGet(5);
                  }
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      th.start();
      ts.add(th);
    }
    for (Thread th : ts) {
      th.join();
    }
    return done.get() / ((System.nanoTime() - start) / 1e9);
  }

  private static void sign(String alg, PrivateKey key, int n) throws Exception {
    Signature s = Signature.getInstance(alg);
    for (int i = 0; i < n; i++) {
      s.initSign(key);
      s.update(DATA);
      s.sign();
    }
  }
}
