package org.voxca.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.store.puppetdir.CaPaths;
import org.voxca.store.puppetdir.PuppetCaDirectory;
import picocli.CommandLine;

class ServeCommandTest {
  @TempDir Path dir;

  @Test
  void aBadValueStopsTheStartWithOneLineNamingTheKey() {
    PrintStream old = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true));
    int code;
    try {
      code =
          new CommandLine(new ServeCommand())
              .execute(
                  "--confdir",
                  dir.toString(),
                  "--cadir",
                  dir.resolve("ca").toString(),
                  "--certname",
                  "x.example",
                  "--setting",
                  "ca_ttl=forever");
    } finally {
      System.setErr(old);
    }
    assertThat(code).isEqualTo(2);
    assertThat(err.toString().trim())
        .isEqualTo(
            "Invalid configuration: ca_ttl: 'forever' is not a duration like 5y, 1y30d, 12h or a number of seconds");
    assertThat(dir.resolve("ca/ca_key.pem")).doesNotExist();
  }

  @Test
  void exitWhenReadyServesABootstrapToItselfThenStops() throws Exception {
    int code =
        new CommandLine(new ServeCommand())
            .execute(
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
                "exercise.test",
                "--autosign",
                "true",
                "--setting",
                "keylength=2048");
    assertThat(code).isZero();
    try (var signed = Files.list(dir.resolve("ca/signed"))) {
      assertThat(signed.map(p -> p.getFileName().toString()))
          .as("the exercise's CSR was autosigned over HTTPS")
          .anyMatch(n -> n.startsWith("exercise-"));
    }
    assertThat(ServeCommand.serving()).isFalse();
    // the directory lock was released: the CA can be opened again at once
    new PuppetCaDirectory(CaPaths.under(dir.resolve("ca"))).close();
  }
}
