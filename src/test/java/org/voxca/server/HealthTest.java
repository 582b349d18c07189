package org.voxca.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.http.Readiness.State;
import org.voxca.pki.CertBuilder;
import org.voxca.testing.MutableClock;
import org.voxca.testing.TestPki;

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
      KeyPair keys = TestPki.ecKey();
      Instant t0 = Instant.now();
      X509Certificate ca =
          CertBuilder.selfSignedCa(
              "Health test CA", keys, BigInteger.ONE, t0, t0.plus(Duration.ofDays(2)));
      MutableClock clock = new MutableClock(t0.plusSeconds(60));
      java.util.concurrent.atomic.AtomicReference<String> key =
          new java.util.concurrent.atomic.AtomicReference<>();
      Health h = new Health(store, () -> ca, key::get, clock);
      assertThat(h.state()).isEqualTo(State.STARTING);
      assertThat(h.awaitIndexed(Duration.ofMillis(10))).isFalse();
      h.indexed(true);
      assertThat(h.awaitIndexed(Duration.ofMillis(10))).isTrue();
      assertThat(h.state()).isEqualTo(State.RUNNING);
      assertThat(h.reason()).isNull();
      clock.set(t0.plus(Duration.ofDays(3)));
      assertThat(h.state()).isEqualTo(State.ERROR);
      assertThat(h.reason()).isEqualTo("ca_expired");
      clock.set(t0.minusSeconds(60));
      assertThat(h.state()).isEqualTo(State.ERROR);
      assertThat(h.reason()).isEqualTo("ca_not_yet_valid");
      clock.set(t0.plusSeconds(60));
      assertThat(h.state()).as("running again once valid").isEqualTo(State.RUNNING);
      key.set("token 'ca' failed");
      assertThat(h.state()).isEqualTo(State.ERROR);
      assertThat(h.reason()).isEqualTo("ca_key_unavailable");
      key.set(null);
      assertThat(h.state()).as("running again once the key is back").isEqualTo(State.RUNNING);
      Files.delete(cadir.resolve("serial"));
      assertThat(h.state()).isEqualTo(State.ERROR);
      assertThat(h.reason()).isEqualTo("store_unavailable");
      h.stopping();
      assertThat(h.state()).isEqualTo(State.STOPPING);

      Health failed = new Health(store, () -> ca, () -> null, clock);
      failed.indexed(false);
      assertThat(failed.state()).isEqualTo(State.ERROR);
      assertThat(failed.awaitIndexed(Duration.ofMillis(10))).isFalse();
    }
  }
}
