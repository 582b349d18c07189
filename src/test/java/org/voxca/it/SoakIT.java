package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.soak.Soak;
import org.voxca.soak.SoakReport;

/**
 * A few minutes of endurance on each store (longer with {@code -Dvoxca.soak.seconds=N}; {@code
 * bench/soak --minutes N} for hours): no well-behaved request refused, every acknowledged
 * certificate there, and once the load stops the server holds what it held before — no open
 * connection, descriptors and threads within 16 of the baseline, the heap after a full collection
 * within 24 MB of it beyond 2 KB for each certificate issued meanwhile (which the CA's indexes
 * keep).
 */
class SoakIT {
  private static final long SECONDS = Long.getLong("voxca.soak.seconds", 120);
  @TempDir Path dir;

  @Test
  void theDirectoryStoreUnderMixedTraffic() throws Exception {
    Soak.Result r = Soak.run(new Soak.Options(Duration.ofSeconds(SECONDS), false, dir, 4));
    check(r);
    assertThat(r.connections())
        .as("short clean connections from one address")
        .isGreaterThanOrEqualTo(10_000);
  }

  @Test
  void postgresqlRestartedMidRun() throws Exception {
    Soak.Result r = Soak.run(new Soak.Options(Duration.ofSeconds(SECONDS / 2), true, dir, 4));
    check(r);
    assertThat(r.outageAnswers()).as("503s while the database restarted").isPositive();
  }

  private static void check(Soak.Result r) {
    String summary = SoakReport.summary(r);
    System.out.println("[soak] " + summary.replace("\n", "\n[soak] "));
    assertThat(r.failures()).as(summary).isZero();
    assertThat(r.acknowledged()).isPositive();
    assertThat(r.missing()).as("acknowledged certificates missing").isEmpty();
    assertThat(r.hostileConnections()).isPositive();
    assertThat(r.handshakeTimeouts()).as("slow handshakes closed at their deadline").isPositive();
    assertThat(r.end().openConnections()).as(summary).isZero();
    assertThat(r.end().descriptors())
        .as(summary)
        .isLessThanOrEqualTo(r.baseline().descriptors() + 16);
    assertThat(r.end().threads()).as(summary).isLessThanOrEqualTo(r.baseline().threads() + 16);
    assertThat(r.end().heapMb())
        .as(summary)
        .isLessThanOrEqualTo(r.baseline().heapMb() + 24 + r.heapAllowanceMb());
  }
}
