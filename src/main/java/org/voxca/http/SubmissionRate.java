package org.voxca.http;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * CSR submissions per client address ({@code voxca { max-submissions-per-address }} a minute): a
 * token bucket per address, full at that many and refilled evenly over a minute, so a burst of a
 * minute's worth passes and then one every 60/n seconds. Past it, the submission answers 503 with
 * the seconds until the next one is allowed. Idle addresses are forgotten, so the table stays
 * small; zero turns the limit off.
 */
final class SubmissionRate {
  private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);
  private static final int SWEEP_EVERY = 1024;
  private final int perMinute;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
  private final AtomicLong calls = new AtomicLong();

  SubmissionRate(int perMinute) {
    this.perMinute = perMinute;
  }

  /** Zero when a submission from {@code address} may go ahead now, else the seconds to wait. */
  int admit(String address, long now) {
    if (perMinute <= 0) {
      return 0;
    }
    if (calls.incrementAndGet() % SWEEP_EVERY == 0) {
      sweep(now);
    }
    Bucket b = buckets.computeIfAbsent(address, a -> new Bucket(perMinute, now));
    synchronized (b) {
      b.refill(perMinute, now);
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
      }
      double secondsPerToken = 60.0 / perMinute;
      return (int) Math.max(1, Math.ceil((1 - b.tokens) * secondsPerToken));
    }
  }

  /** Addresses tracked now (for tests: the table forgets the idle). */
  int tracked() {
    return buckets.size();
  }

  /** Forgets every address whose bucket has refilled: it behaves as a new one. */
  void sweep(long now) {
    for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext(); ) {
      Bucket b = it.next();
      synchronized (b) {
        if (now - b.last >= MINUTE) {
          it.remove();
        }
      }
    }
  }

  private static final class Bucket {
    double tokens;
    long last;

    Bucket(int perMinute, long now) {
      tokens = perMinute;
      last = now;
    }

    void refill(int perMinute, long now) {
      long elapsed = now - last;
      if (elapsed > 0) {
        tokens = Math.min(perMinute, tokens + (double) elapsed * perMinute / MINUTE);
        last = now;
      }
    }
  }
}
