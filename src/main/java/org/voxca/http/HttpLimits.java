package org.voxca.http;

import java.time.Duration;

/**
 * What one request may cost: its body's size ({@code maxBody}, 413 past it; up to {@code
 * drainBytes} are read and discarded so the client sees the 413), and the time to send it ({@code
 * bodyTimeout}, 408 past it).
 */
public record HttpLimits(
    long maxBody,
    long drainBytes,
    Duration bodyTimeout,
    Duration shedAfter,
    int submissionsPerAddress) {
  public HttpLimits {
    if (maxBody <= 0
        || drainBytes < maxBody
        || bodyTimeout.isNegative()
        || bodyTimeout.isZero()
        || submissionsPerAddress < 0) {
      throw new IllegalArgumentException("bad HTTP limits: " + maxBody + ", " + bodyTimeout);
    }
  }

  /**
   * The body cap with a drain allowance of four times it (at least 4 MiB); {@code shedAfter} is the
   * longest queue of signing work a new submission or renewal joins (zero: never shed); {@code
   * submissionsPerAddress} the CSR submissions one client address may make a minute (zero: no
   * limit).
   */
  public static HttpLimits of(
      long maxBody, Duration bodyTimeout, Duration shedAfter, int submissionsPerAddress) {
    return new HttpLimits(
        maxBody, Math.max(4 * maxBody, 4L << 20), bodyTimeout, shedAfter, submissionsPerAddress);
  }
}
