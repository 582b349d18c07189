package org.voxca.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Debian package, installed for real (CI only, as root: it adds a system user and files under
 * /usr, /etc and /var): the unit passes {@code systemd-analyze verify}, the installed {@code voxca}
 * runs as the {@code voxca} user with the packaged configuration on port 8140, Debian's
 * puppet-agent bootstraps against it while the installed CLI signs, and a purge keeps the CA. The
 * tarball's launcher starts a CA too.
 */
class PackageE2EIT {
  static final Path LIB = Path.of("/var/lib/voxca");
  @TempDir Path dir;

  @Test
  void theDebInstallsStartsAndServesAnAgent() throws Exception {
    boolean ci = "true".equals(System.getenv("CI"));
    Assumptions.assumeTrue(ci, "installs a package on this machine: CI only");
    assertThat(System.getProperty("user.name")).as("CI runs as root").isEqualTo("root");
    Tools.require("puppet");
    Tools.require("systemd-analyze");
    Path deb = only("target", "voxca_", "_all.deb");
    Tools.Result install = Tools.run(300, "dpkg", "-i", deb.toString());
    Process server = null;
    try {
      assertThat(install.exitCode()).as(install.output()).isZero();
      Tools.Result verify =
          Tools.run(60, "systemd-analyze", "verify", "/lib/systemd/system/voxca.service");
      assertThat(verify.exitCode()).as(verify.output()).isZero();
      assertThat(verify.output()).doesNotContain("voxca.service:");
      // hardening: exposure 2.0 or better (systemd-analyze's threshold is in tenths)
      Tools.Result security =
          Tools.run(
              60,
              "systemd-analyze",
              "security",
              "--offline=true",
              "--threshold=20",
              "/lib/systemd/system/voxca.service");
      assertThat(security.exitCode()).as(security.output()).isZero();
      assertThat(security.output()).contains("System call allow list defined for service");
      assertThat(Path.of("/usr/bin/voxca")).isExecutable();
      // one version string: the binary's, and the package's with Debian's ~ for -
      Tools.Result pkg = Tools.run(30, "dpkg-query", "-W", "-f=${Version}", "voxca");
      Tools.Result version = Tools.run(60, "/usr/bin/voxca", "-V");
      assertThat(version.exitCode()).as(version.output()).isZero();
      assertThat(pkg.output().trim()).startsWith("0.");
      assertThat(version.output().lines())
          .contains("voxca " + pkg.output().trim().replace('~', '-'));
      assertThat(Path.of("/usr/share/voxca/voxca.jar")).isRegularFile();
      assertThat(Path.of("/usr/share/doc/voxca/copyright")).content().contains("Format: https://");
      assertThat(Path.of("/etc/voxca/conf.d/voxca.conf")).isRegularFile();
      for (String shipped :
          List.of("voxca-alerts.yml", "voxca-alerts.test.yml", "voxca-dashboard.json")) {
        assertThat(Path.of("/usr/share/voxca/monitoring", shipped)).isRegularFile();
      }
      assertThat(Tools.run(10, "getent", "passwd", "voxca").exitCode()).isZero();
      PosixFileAttributes lib = Files.readAttributes(LIB, PosixFileAttributes.class);
      assertThat(lib.owner().getName()).isEqualTo("voxca");
      assertThat(PosixFilePermissions.toString(lib.permissions())).isEqualTo("rwxr-x---");

      server =
          Tools.start(
              dir.resolve("serve.log"), "runuser", "-u", "voxca", "--", "/usr/bin/voxca", "serve");
      awaitRunning(server, dir.resolve("serve.log"));
      Path key = LIB.resolve("ca/ca_key.pem");
      PosixFileAttributes k = Files.readAttributes(key, PosixFileAttributes.class);
      assertThat(k.owner().getName()).isEqualTo("voxca");
      assertThat(PosixFilePermissions.toString(k.permissions())).isIn("rw-------", "rw-r-----");

      // the README's agent command as written: --server <this host>, the server's default certname
      // (the host's fully qualified name, as Puppet computes it), which its certificate carries
      String host = serverCertname();
      assertThat(host).isNotEqualTo("localhost");
      Path agent = dir.resolve("agent");
      Tools.Result submit =
          Tools.run(
              120,
              Tools.puppetSsl(agent, host, 8140, "pkg.test", "submit_request")
                  .toArray(String[]::new));
      assertThat(submit.exitCode()).as(submit.output()).isZero();
      Tools.Result sign = Tools.run(120, "/usr/bin/voxca", "ca", "sign", "--certname", "pkg.test");
      assertThat(sign.exitCode()).as(sign.output()).isZero();
      Tools.Result download =
          Tools.run(
              120,
              Tools.puppetSsl(agent, host, 8140, "pkg.test", "download_cert")
                  .toArray(String[]::new));
      assertThat(download.exitCode()).as(download.output()).isZero();
      assertThat(agent.resolve("ssl/certs/pkg.test.pem")).isRegularFile();
      Tools.Result audit = Tools.run(60, "/usr/bin/voxca", "ca", "audit", "--certname", "pkg.test");
      assertThat(audit.output()).contains("signed").contains("csr_submitted");
      Tools.Result metrics = Tools.run(30, "curl", "-s", "http://127.0.0.1:9140/metrics");
      assertThat(metrics.output()).contains("voxca_certificates_signed_total");

      // an upgrade (the same package again) leaves an operator's own file, group and mode alone
      Path local = Path.of("/etc/voxca/conf.d/local.conf");
      Files.writeString(local, "# the operator's\n");
      Files.setPosixFilePermissions(local, PosixFilePermissions.fromString("rw-------"));
      Tools.Result upgrade = Tools.run(300, "dpkg", "-i", deb.toString());
      assertThat(upgrade.exitCode()).as(upgrade.output()).isZero();
      PosixFileAttributes mine = Files.readAttributes(local, PosixFileAttributes.class);
      assertThat(mine.group().getName()).isEqualTo("root");
      assertThat(PosixFilePermissions.toString(mine.permissions())).isEqualTo("rw-------");
      Files.delete(local);
    } finally {
      if (server != null) {
        server.destroy();
        server.waitFor(30, TimeUnit.SECONDS);
      }
      Tools.Result purge = Tools.run(300, "dpkg", "--purge", "voxca");
      assertThat(purge.exitCode()).as(purge.output()).isZero();
      assertThat(Path.of("/usr/bin/voxca")).doesNotExist();
      assertThat(LIB.resolve("ca/ca_key.pem")).as("a purge keeps the CA").exists();
      Tools.run(60, "rm", "-rf", LIB.toString());
      Tools.run(60, "userdel", "voxca");
    }
  }

  @Test
  void theTarballLauncherStartsACa() throws Exception {
    Path tar = only("target", "voxca-", ".tar.gz");
    assertThat(Tools.run(120, "tar", "-xzf", tar.toString(), "-C", dir.toString()).exitCode())
        .isZero();
    Path home;
    try (Stream<Path> s = Files.list(dir)) {
      home = s.filter(Files::isDirectory).findFirst().orElseThrow();
    }
    assertThat(home.resolve("bin/voxca")).isExecutable();
    assertThat(home.resolve("systemd/voxca.service")).isRegularFile();
    Path conf = Files.writeString(dir.resolve("empty.conf"), "# defaults\n");
    ProcessBuilder pb =
        new ProcessBuilder(
                home.resolve("bin/voxca").toString(),
                "serve",
                "--exit-when-ready",
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--confdir",
                dir.resolve("puppet").toString(),
                "--cadir",
                dir.resolve("ca").toString(),
                "--certname",
                "tarball.test",
                "--setting",
                "keylength=2048")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("tar.log").toFile());
    pb.environment().put("VOXCA_CONFIG", conf.toString());
    Process p = pb.start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(Files.readString(dir.resolve("tar.log"))).isZero();
    assertThat(dir.resolve("ca/ca_crt.pem")).isRegularFile();
  }

  static void awaitRunning(Process server, Path log) throws Exception {
    for (int i = 0; i < 240; i++) {
      if (!server.isAlive()) {
        throw new AssertionError("the installed voxca exited:\n" + Files.readString(log));
      }
      Tools.Result r = Tools.run(10, "curl", "-sk", "https://127.0.0.1:8140/status/v1/simple");
      if (r.output().equals("running")) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError(
        "the installed voxca never answered running:\n" + Files.readString(log));
  }

  static Path only(String dir, String prefix, String suffix) throws IOException {
    try (Stream<Path> s = Files.list(Path.of(dir))) {
      List<Path> hits =
          s.filter(
                  p -> {
                    String n = p.getFileName().toString();
                    return n.startsWith(prefix) && n.endsWith(suffix);
                  })
              .toList();
      assertThat(hits).as(prefix + "*" + suffix + " built by mvn package").hasSize(1);
      return hits.get(0);
    }
  }

  /** The packaged server's certname: its one host certificate under the ssldir. */
  static String serverCertname() throws IOException {
    try (var files = Files.list(LIB.resolve("ssl/certs"))) {
      List<String> names =
          files
              .map(f -> f.getFileName().toString())
              .filter(n -> n.endsWith(".pem") && !n.equals("ca.pem") && !n.endsWith("-ecdsa.pem"))
              .map(n -> n.substring(0, n.length() - 4))
              .toList();
      assertThat(names).hasSize(1);
      return names.get(0);
    }
  }
}
