package org.voxca.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The per-address submission limit refuses past its burst and releases as time passes. */
class SubmissionRateTest {
  private static final long S = TimeUnit.SECONDS.toNanos(1);

  @Test
  void aBurstPassesThenOneEveryIntervalAndOtherAddressesAreUntouched() {
    SubmissionRate rate = new SubmissionRate(6); // 6 a minute: one every 10 s after the burst
    long t = 1_000 * S;
    for (int i = 0; i < 6; i++) {
      assertThat(rate.admit("10.0.0.1", t)).isZero();
    }
    assertThat(rate.admit("10.0.0.1", t)).isEqualTo(10);
    assertThat(rate.admit("10.0.0.2", t)).as("another address has its own bucket").isZero();
    assertThat(rate.admit("10.0.0.1", t + 5 * S)).isEqualTo(5);
    assertThat(rate.admit("10.0.0.1", t + 10 * S)).as("released after the interval").isZero();
    assertThat(rate.admit("10.0.0.1", t + 10 * S)).isPositive();
    assertThat(rate.admit("10.0.0.1", t + 130 * S)).as("refilled after a quiet minute").isZero();
  }

  @Test
  void idleAddressesAreForgotten() {
    SubmissionRate rate = new SubmissionRate(60);
    long t = 5 * S;
    for (int i = 0; i < 100; i++) {
      rate.admit("10.1.0." + i, t);
    }
    assertThat(rate.tracked()).isEqualTo(100);
    rate.sweep(t + 30 * S);
    assertThat(rate.tracked()).as("not yet idle for a minute").isEqualTo(100);
    rate.sweep(t + 61 * S);
    assertThat(rate.tracked()).isZero();
  }

  @Test
  void zeroIsNoLimit() {
    SubmissionRate rate = new SubmissionRate(0);
    for (int i = 0; i < 10_000; i++) {
      assertThat(rate.admit("10.0.0.1", i)).isZero();
    }
    assertThat(rate.tracked()).isZero();
  }
}
