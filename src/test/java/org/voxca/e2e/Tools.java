package org.voxca.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Runs the real Debian clients (puppet, openssl, curl) for end-to-end tests. */
final class Tools {
  private Tools() {}

  /** Skips outside CI when the tool is missing; in CI (CI=true) a missing tool fails the test. */
  static void require(String tool) {
    boolean present =
        List.of(System.getenv().getOrDefault("PATH", "/usr/bin").split(":")).stream()
            .anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    if (!present && "true".equals(System.getenv("CI"))) {
      throw new AssertionError(tool + " is not installed; .ci/run must install it");
    }
    Assumptions.assumeTrue(
        present, tool + " is not installed (run .ci/run to install the end-to-end clients)");
  }

  record Result(int exitCode, String output, long millis) {}

  static Process start(Path log, String... command) throws IOException {
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  static Result run(int timeoutSeconds, String... command)
      throws IOException, InterruptedException {
    Path log = Files.createTempFile("voxca-e2e", ".log");
    long t0 = System.nanoTime();
    Process p = start(log, command);
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(
          "timed out after "
              + timeoutSeconds
              + " s: "
              + String.join(" ", command)
              + "\n"
              + Files.readString(log));
    }
    String out = Files.readString(log, StandardCharsets.UTF_8);
    Files.deleteIfExists(log);
    return new Result(p.exitValue(), out, (System.nanoTime() - t0) / 1_000_000);
  }

  /**
   * {@code curl -s} as an agent, then {@code args}: its certificate and key from its ssldir, the CA
   * bundle it holds.
   */
  static Result curlAs(Path ssl, String name, String... args)
      throws IOException, InterruptedException {
    List<String> cmd =
        new java.util.ArrayList<>(
            List.of(
                "curl",
                "-s",
                "--cacert",
                ssl.resolve("certs/ca.pem").toString(),
                "--cert",
                ssl.resolve("certs/" + name + ".pem").toString(),
                "--key",
                ssl.resolve("private_keys/" + name + ".pem").toString()));
    cmd.addAll(List.of(args));
    return run(60, cmd.toArray(String[]::new));
  }

  /** A GET of {@code url} as an agent; the output is the HTTP status (000 when TLS refused it). */
  static Result getAs(Path ssl, String name, String url) throws IOException, InterruptedException {
    return curlAs(ssl, name, "-o", "/dev/null", "-w", "%{http_code}", url);
  }

  /** {@code openssl verify -crl_check_all}: {@code cert} against a CA bundle and its CRLs. */
  static Result verifyWithCrls(Path caFile, Path crlFile, Path cert)
      throws IOException, InterruptedException {
    return run(
        30,
        "openssl",
        "verify",
        "-crl_check_all",
        "-CAfile",
        caFile.toString(),
        "-CRLfile",
        crlFile.toString(),
        cert.toString());
  }

  /** {@code puppet ssl <action>} with every path under {@code agentDir}. */
  static List<String> puppetSsl(
      Path agentDir, int port, String certname, String action, String... extra) {
    return puppetSsl(agentDir, "localhost", port, certname, action, extra);
  }

  /** As {@link #puppetSsl(Path, int, String, String, String...)}, to the server {@code server}. */
  static List<String> puppetSsl(
      Path agentDir, String server, int port, String certname, String action, String... extra) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "puppet",
                "ssl",
                action,
                "--confdir",
                agentDir.resolve("conf").toString(),
                "--vardir",
                agentDir.resolve("var").toString(),
                "--ssldir",
                agentDir.resolve("ssl").toString(),
                "--rundir",
                agentDir.resolve("run").toString(),
                "--logdir",
                agentDir.resolve("log").toString(),
                "--server",
                server,
                "--serverport",
                String.valueOf(port),
                "--certname",
                certname,
                "--keylength",
                "2048"));
    cmd.addAll(List.of(extra));
    return cmd;
  }
}
