package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.testing.TestClient;
import org.voxca.testing.TestPki;
import org.voxca.testing.TestServer;

/** The autosign setting as a path: an autosign.conf of globs, then a policy executable. */
class AutosignIT {
  @TempDir static Path dir;
  static Path policy;
  static TestServer server;
  static TestClient anon;

  @BeforeAll
  static void start() throws Exception {
    policy = dir.resolve("autosign");
    Files.writeString(policy, "# comment\n*.glob.test\nexact.test\n\nbad pattern\n*\tx\n");
    server =
        TestServer.builder(dir.resolve("server"))
            .autosign(policy.toString())
            .hocon("voxca { autosign-timeout: 2s }\n")
            .start();
    anon = server.anonymous();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static boolean signed(String name) {
    assertThat(
            anon.put("/puppet-ca/v1/certificate_request/" + name, TestPki.csr(name).pem())
                .statusCode())
        .isEqualTo(200);
    return anon.get("/puppet-ca/v1/certificate/" + name).statusCode() == 200;
  }

  @Test
  void globsAndExecutables() throws Exception {
    assertThat(signed("a.glob.test")).isTrue();
    assertThat(signed("b.c.glob.test")).isTrue();
    assertThat(signed("exact.test")).isTrue();
    assertThat(signed("glob.test.other")).isFalse();
    assertThat(signed("not-listed.test")).isFalse();
    assertThat(server.config().store().csrdir().resolve("not-listed.test.pem")).exists();

    // the same path, now an executable: certname as argument, CSR on stdin, exit 0 signs
    Path seen = dir.resolve("seen");
    Files.writeString(
        policy,
        "#!/bin/sh\ncat > "
            + seen
            + "\ncase \"$1\" in\n  good*) exit 0 ;;\n"
            + "  slow*) sleep 10; exit 0 ;;\n  *) echo refused >&2; exit 1 ;;\nesac\n");
    Files.setPosixFilePermissions(policy, PosixFilePermissions.fromString("rwxr-xr-x"));
    String csr = TestPki.csr("good-agent").pem();
    assertThat(anon.put("/puppet-ca/v1/certificate_request/good-agent", csr).statusCode())
        .isEqualTo(200);
    assertThat(anon.get("/puppet-ca/v1/certificate/good-agent").statusCode()).isEqualTo(200);
    assertThat(Files.readString(seen)).isEqualTo(csr);
    assertThat(signed("bad-agent")).isFalse();
    long t0 = System.nanoTime();
    assertThat(signed("slow-agent")).as("killed at the 2 s timeout, left pending").isFalse();
    assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(1_500L, 8_000L);
    assertThat(anon.get("/puppet-ca/v1/certificate_request/slow-agent").statusCode())
        .isEqualTo(200);

    Files.delete(policy);
    assertThat(signed("good-after-delete")).as("a missing autosign path signs nothing").isFalse();
  }
}
