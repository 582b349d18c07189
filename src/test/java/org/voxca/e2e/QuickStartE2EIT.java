package org.voxca.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/quick-start.md, its commands as written, in the order an operator meets them: the package
 * (install, edit puppet.conf, start, check), an agent bootstrapped against it and signed, then the
 * tarball and the source launcher. Every command line of the document is listed here, either run
 * literally or with the one change a container forces (no systemd, no sudo needed as root, the
 * agent's own host name); a command added to the document fails the test until it is covered.
 */
class QuickStartE2EIT {
  private static final Path DOC = Path.of("docs/quick-start.md");
  private static final Path HOSTS = Path.of("/etc/hosts");
  private static final String CA = "ca.example.com";
  private static final String AGENT = "agent01.example.com";
  @TempDir Path dir;

  @Test
  void theQuickStartWorksAsWritten() throws Exception {
    Assumptions.assumeTrue("true".equals(System.getenv("CI")), "installs a package: CI only");
    assertThat(System.getProperty("user.name")).as("CI runs as root").isEqualTo("root");
    Tools.require("puppet");
    Tools.require("apt-get");
    Map<String, String> docLines = QuickStartDoc.commands(DOC);
    assertThat(docLines.keySet())
        .as("every command in quick-start.md is one this test runs")
        .containsExactlyInAnyOrderElementsOf(QuickStartDoc.COVERED);

    // mvn -B package -DskipTests: the build under test ran it; its outputs are what we install
    Path deb = PackageE2EIT.only("target", "voxca_", "_all.deb");
    Path tarball = PackageE2EIT.only("target", "voxca-", ".tar.gz");
    String hosts = Files.readString(HOSTS);
    Process server = null;
    try {
      assertThat(deb).isRegularFile();
      // sudo apt install ./target/voxca_*_all.deb (as root: sudo is not needed)
      ok(sh(Path.of("."), asRoot(docLines.get("install")).replace(" install ", " install -y ")));
      // sudoedit /etc/voxca/puppet/puppet.conf: the certname and the names agents use
      Path conf = Path.of(docLines.get("edit").substring("sudoedit ".length()));
      Files.writeString(
          conf,
          Files.readString(conf)
              .replaceFirst("(?m)^# certname = .*$", "certname = " + CA)
              .replace(
                  "# dns_alt_names = puppet,puppet.example.com", "dns_alt_names = puppet," + CA));
      assertThat(docLines.get("start")).isEqualTo("sudo systemctl enable --now voxca");
      // sudo systemctl enable --now voxca: no systemd in a container, so the unit's own
      // ExecStart, as its User, with its EnvironmentFile
      Unit unit = Unit.read(Path.of("/lib/systemd/system/voxca.service"));
      server = Tools.start(dir.resolve("pkg.log"), unit.command());
      awaitRunning(server, dir.resolve("pkg.log"), docLines.get("curl"), Path.of("."));

      // the agent: ca.example.com is this machine, agent01.example.com the agent's own name
      Files.writeString(HOSTS, hosts + "\n127.0.0.1 " + CA + "\n");
      List<String> bootstrap = agent(docLines.get("bootstrap"));
      Process waiting = Tools.start(dir.resolve("agent.log"), bootstrap.toArray(String[]::new));
      String listed = "";
      for (int i = 0; i < 120 && !listed.contains(AGENT); i++) {
        Thread.sleep(500);
        listed = sh(Path.of("."), docLines.get("list")).output();
      }
      assertThat(listed).as(Files.readString(dir.resolve("agent.log"))).contains(AGENT);
      ok(sh(Path.of("."), docLines.get("sign")));
      assertThat(waiting.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(waiting.exitValue()).as(Files.readString(dir.resolve("agent.log"))).isZero();
      assertThat(dir.resolve("agent/ssl/certs/" + AGENT + ".pem")).isRegularFile();
      stop(server);
      server = null;

      // the tarball, unpacked and started as written
      Files.copy(tarball, dir.resolve(tarball.getFileName()));
      String version = tarball.getFileName().toString().replaceAll("^voxca-|\\.tar\\.gz$", "");
      String untar = docLines.get("tar").replace("<version>", version);
      server =
          Tools.start(
              dir.resolve("tar.log"),
              "bash",
              "-c",
              "cd " + dir + " && " + untar + " && " + docLines.get("tarball serve"));
      awaitRunning(server, dir.resolve("tar.log"), docLines.get("curl"), dir);
      assertThat(Path.of("/srv/voxca/ca/ca_crt.pem")).isRegularFile();
      stop(server);
      server = null;

      // from source: a copy of the sources without target/, so the launcher builds on first use
      Path src = dir.resolve("src");
      ok(
          sh(
              Path.of("."),
              "mkdir -p "
                  + src
                  + " && tar --exclude=./target --exclude=./.git -cf - . | tar -xf - -C "
                  + src));
      server =
          Tools.start(
              dir.resolve("src.log"),
              "bash",
              "-c",
              "cd " + src + " && " + docLines.get("source serve"));
      awaitRunning(server, dir.resolve("src.log"), docLines.get("curl"), dir);
      assertThat(src.resolve("voxca-data")).isDirectory();
    } finally {
      if (server != null) {
        stop(server);
      }
      Files.writeString(HOSTS, hosts);
      Tools.run(300, "dpkg", "--purge", "voxca");
      Tools.run(60, "rm", "-rf", "/var/lib/voxca", "/srv/voxca");
      Tools.run(60, "userdel", "voxca");
    }
  }

  /** The documented bootstrap, with the paths and the name a test agent needs appended. */
  private List<String> agent(String command) {
    List<String> cmd = new ArrayList<>(List.of(command.split("\\s+")));
    List<String> paths = Tools.puppetSsl(dir.resolve("agent"), CA, 8140, AGENT, "bootstrap");
    cmd.addAll(paths.subList(3, paths.size()));
    cmd.addAll(List.of("--waitforcert", "1"));
    return cmd;
  }

  /** A root shell needs no sudo, and apt must not ask. */
  private static String asRoot(String command) {
    return "DEBIAN_FRONTEND=noninteractive " + command.replaceFirst("^sudo ", "");
  }

  private static Tools.Result sh(Path cwd, String command) throws Exception {
    return Tools.run(300, "bash", "-c", "cd " + cwd.toAbsolutePath() + " && " + command);
  }

  private static void ok(Tools.Result r) {
    assertThat(r.exitCode()).as(r.output()).isZero();
  }

  private static void awaitRunning(Process server, Path log, String curl, Path cwd)
      throws Exception {
    for (int i = 0; i < 720; i++) {
      if (!server.isAlive()) {
        throw new AssertionError("voxca exited:\n" + Files.readString(log));
      }
      if (sh(cwd, curl + " 2>/dev/null").output().equals("running")) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("voxca never answered running:\n" + Files.readString(log));
  }

  private static void stop(Process server) throws InterruptedException {
    server.descendants().forEach(ProcessHandle::destroy);
    server.destroy();
    server.waitFor(60, TimeUnit.SECONDS);
  }

  /** The parts of a systemd unit a container can honour: who runs what, with which environment. */
  record Unit(String user, String execStart, String environmentFile) {
    static Unit read(Path file) throws IOException {
      Map<String, String> keys = new LinkedHashMap<>();
      for (String line : Files.readAllLines(file)) {
        int eq = line.indexOf('=');
        if (!line.startsWith("#") && eq > 0) {
          keys.putIfAbsent(line.substring(0, eq), line.substring(eq + 1));
        }
      }
      return new Unit(
          keys.get("User"),
          keys.get("ExecStart"),
          keys.get("EnvironmentFile").replaceFirst("^-", ""));
    }

    String[] command() {
      String env =
          "if [ -r " + environmentFile + " ]; then set -a; . " + environmentFile + "; set +a; fi";
      return new String[] {"bash", "-c", env + "; exec runuser -u " + user + " -- " + execStart};
    }
  }
}
