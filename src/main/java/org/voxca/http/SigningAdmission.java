package org.voxca.http;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load shedding for the routes that sign (an agent's CSR submission and its renewal): a request is
 * admitted unless the signing work already running would keep the CPU busy past {@code shedAfter} —
 * requests in flight × the CPU time one costs (a moving average, measured on the request's own
 * thread) ÷ cores. A shed request answers 503 with a {@code Retry-After} near that estimate (spread
 * so a herd does not return at once); reads are never shed.
 */
final class SigningAdmission {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private final long shedAfterNanos;
  private final int cores;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong shed = new AtomicLong();

  /** Moving average of one signing request's CPU nanoseconds (0 until the first is measured). */
  private final AtomicLong costNanos = new AtomicLong();

  SigningAdmission(Duration shedAfter, int cores) {
    this.shedAfterNanos = shedAfter.toNanos();
    this.cores = Math.max(1, cores);
  }

  /** Never sheds. */
  static SigningAdmission unlimited() {
    return new SigningAdmission(Duration.ZERO, 1);
  }

  /** A ticket to run now, or a refusal with the seconds to wait. */
  sealed interface Ticket permits Admitted, Shed {}

  record Shed(int retryAfterSeconds, int queued) implements Ticket {}

  /** Close when the signing work is done. */
  final class Admitted implements Ticket, AutoCloseable {
    private final long cpu0 = cpuNow();

    @Override
    public void close() {
      inFlight.decrementAndGet();
      long cpu = cpuNow() - cpu0;
      if (cpu > 0) {
        costNanos.getAndUpdate(old -> old == 0 ? cpu : old + (cpu - old) / 8);
      }
    }
  }

  Ticket admit() {
    int queued = inFlight.getAndIncrement();
    if (shedAfterNanos > 0) {
      long waitNanos = queued * costNanos.get() / cores;
      if (waitNanos > shedAfterNanos) {
        inFlight.decrementAndGet();
        shed.incrementAndGet();
        long seconds = Math.max(1, waitNanos / 1_000_000_000L);
        long spread = seconds + ThreadLocalRandom.current().nextLong(seconds + 1);
        return new Shed((int) Math.min(300, spread), queued);
      }
    }
    return new Admitted();
  }

  /** Requests shed since the server started. */
  long shedCount() {
    return shed.get();
  }

  private static long cpuNow() {
    return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : 0;
  }
}
