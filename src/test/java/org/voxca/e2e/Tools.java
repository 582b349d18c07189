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

  /**
   * Puppet 8's daily refresh by hand: the CA bundle and the CRL chain downloaded anew into the
   * agent's ssldir, over the agent's own TLS.
   */
  static void fetchTrust(int port, Path agent, String name)
      throws IOException, InterruptedException {
    Path ssl = agent.resolve("ssl");
    String base = "https://localhost:" + port + "/puppet-ca/v1/";
    for (String[] get :
        List.of(
            new String[] {"certs/ca.pem", "certificate/ca"},
            new String[] {"crl.pem", "certificate_revocation_list/ca"})) {
      Result r = curlAs(ssl, name, "-f", "-o", ssl.resolve(get[0]).toString(), base + get[1]);
      if (r.exitCode() != 0) {
        throw new AssertionError("fetching " + get[1] + ": " + r.output());
      }
    }
  }

  /** Renews the agent's certificate with its own files and puts the new one in its ssldir. */
  static void renew(int port, Path agent, String name) throws IOException, InterruptedException {
    Path ssl = agent.resolve("ssl");
    Path out = agent.resolve("renewed-" + name + ".pem");
    Result r = postRenewal(port, ssl, name, out);
    if (!r.output().equals("200")) {
      throw new AssertionError("renewal of " + name + " answered " + r.output());
    }
    Files.copy(
        out,
        ssl.resolve("certs/" + name + ".pem"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * A renewal POSTed with the agent's own files ({@code ssl}), the answer's body in {@code out},
   * its HTTP status as the output; {@code headers} added.
   */
  static Result postRenewal(int port, Path ssl, String name, Path out, String... headers)
      throws IOException, InterruptedException {
    List<String> args =
        new ArrayList<>(
            List.of(
                "-X",
                "POST",
                "-o",
                out.toString(),
                "-w",
                "%{http_code}",
                "-H",
                "Content-Type: text/plain"));
    for (String h : headers) {
      args.add("-H");
      args.add(h);
    }
    args.add("https://localhost:" + port + "/puppet-ca/v1/certificate_renewal");
    return curlAs(ssl, name, args.toArray(String[]::new));
  }
}
