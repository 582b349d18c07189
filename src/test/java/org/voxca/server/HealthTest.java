package org.voxca.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.http.Readiness.State;

/** The readiness states in order: starting until the first index scan, then running or error. */
class HealthTest {
  @TempDir Path dir;

  @Test
  void startingUntilIndexedThenRunningErrorAndStopping() throws Exception {
    Path cadir = Files.createDirectories(dir.resolve("ca"));
    for (String f : new String[] {"ca_crt.pem", "ca_key.pem", "serial"}) {
      Files.writeString(cadir.resolve(f), "x");
    }
    Files.createDirectories(cadir.resolve("signed"));
    Files.createDirectories(cadir.resolve("requests"));
    try (var store =
        new org.voxca.store.puppetdir.PuppetCaDirectory(
            org.voxca.store.puppetdir.CaPaths.under(cadir))) {
      Health h = new Health(store);
      assertThat(h.state()).isEqualTo(State.STARTING);
      assertThat(h.awaitIndexed(Duration.ofMillis(10))).isFalse();
      h.indexed(true);
      assertThat(h.awaitIndexed(Duration.ofMillis(10))).isTrue();
      assertThat(h.state()).isEqualTo(State.RUNNING);
      Files.delete(cadir.resolve("serial"));
      assertThat(h.state()).isEqualTo(State.ERROR);
      h.stopping();
      assertThat(h.state()).isEqualTo(State.STOPPING);

      Health failed = new Health(store);
      failed.indexed(false);
      assertThat(failed.state()).isEqualTo(State.ERROR);
      assertThat(failed.awaitIndexed(Duration.ofMillis(10))).isFalse();
    }
  }
}
