package org.voxca.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PuppetDatesTest {
  @Test
  void datesAreWrittenInPuppetsFormat() {
    Random r = new Random(7);
    for (int i = 0; i < 10_000; i++) {
      Instant t = Instant.ofEpochSecond(r.nextLong(0, 253_402_300_799L));
      assertThat(PuppetDates.format(t)).isEqualTo(PuppetDates.FORMAT.format(t));
    }
    assertThat(PuppetDates.format(Instant.parse("2026-01-02T03:04:05Z")))
        .isEqualTo("2026-01-02T03:04:05UTC");
    assertThat(PuppetDates.format(Instant.MAX)).isNull();
  }
}
