package org.voxca.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AdminEndpointsTest {
  @Test
  void datesAreWrittenInPuppetsFormat() {
    Random r = new Random(7);
    for (int i = 0; i < 10_000; i++) {
      Instant t = Instant.ofEpochSecond(r.nextLong(0, 253_402_300_799L));
      assertThat(AdminEndpoints.date(t)).isEqualTo(AdminEndpoints.DATE.format(t));
    }
    assertThat(AdminEndpoints.date(Instant.parse("2026-01-02T03:04:05Z"))).isEqualTo("2026-01-02T03:04:05UTC");
    assertThat(AdminEndpoints.date(Instant.MAX)).isNull();
  }
}
