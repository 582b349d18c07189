package org.voxca.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JVM still works inside voxca.service's system-call filter. A container has no systemd, so
 * scripts/syscall-sandbox.py applies the unit's own SystemCallFilter lines (expanded by {@code
 * systemd-analyze syscall-filter}, refused calls failing with EPERM) with seccomp, then runs the
 * server: it makes a CA and answers a real CSR over TLS. The same filter refuses a call the unit
 * denies, and the JVM does not start under MemoryDenyWriteExecute, which is why the unit leaves it
 * out.
 */
class ServiceSandboxIT {
  private static final String UNIT = "src/deb/voxca.service";
  @TempDir Path dir;

  @BeforeAll
  static void tools() throws Exception {
    Tools.require("systemd-analyze");
    boolean seccomp = Tools.run(30, "/usr/bin/python3", "-c", "import seccomp").exitCode() == 0;
    if (!seccomp && "true".equals(System.getenv("CI"))) {
      throw new AssertionError("python3-seccomp is not installed; .ci/run must install it");
    }
    Assumptions.assumeTrue(seccomp, "python3-seccomp is not installed");
  }

  @Test
  void theServerMakesACaAndSignsInsideTheUnitsFilter() throws Exception {
    Tools.Result r = Tools.run(180, sandboxed(false, serve()));
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output()).contains("system calls allowed").contains("serving https://");
    assertThat(dir.resolve("ca/ca_crt.pem")).isRegularFile();
    assertThat(dir.resolve("ca/ca_key.pem")).isRegularFile();
  }

  @Test
  void theFilterRefusesWhatTheUnitDenies() throws Exception {
    Tools.Result outside = Tools.run(30, "/usr/sbin/chroot", "/", "/bin/true");
    Assumptions.assumeTrue(outside.exitCode() == 0, "chroot needs root even outside the filter");
    Tools.Result inside =
        Tools.run(30, sandboxed(false, List.of("/usr/sbin/chroot", "/", "/bin/true")));
    assertThat(inside.exitCode()).as(inside.output()).isNotZero();
    assertThat(inside.output()).contains("Operation not permitted");
  }

  @Test
  void theJvmCannotStartWithoutWritableExecutableMemory() throws Exception {
    Tools.Result r = Tools.run(60, sandboxed(true, List.of("java", "-version")));
    assertThat(r.exitCode()).as(r.output()).isNotZero();
    assertThat(r.output()).contains("Error occurred during initialization of VM");
  }

  private List<String> serve() {
    return List.of(
        "java",
        "-jar",
        "target/voxca.jar",
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
        "sandbox.test",
        "--setting",
        "keylength=2048");
  }

  private static String[] sandboxed(boolean denyWriteExecute, List<String> command) {
    List<String> cmd =
        new ArrayList<>(List.of("/usr/bin/python3", "scripts/syscall-sandbox.py", UNIT));
    if (denyWriteExecute) {
      cmd.add("--deny-write-execute");
    }
    cmd.add("--");
    cmd.addAll(command);
    return cmd.toArray(String[]::new);
  }
}
