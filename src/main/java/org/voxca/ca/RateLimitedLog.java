package org.voxca.ca;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Lines about refused requests: one WARN line per refused request at most, and no more than {@value
 * #PER_SECOND} a second: a client that is refused in a loop cannot flood the log. Lines over the
 * budget are counted and the count reported with the next line written.
 */
public final class RateLimitedLog {
  static final int PER_SECOND = 20;
  private final Logger log;
  private final AtomicLong window = new AtomicLong();
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();

  public RateLimitedLog(Logger log) {
    this.log = log;
  }

  /** A budget of events a second (e.g. stack traces of internal errors). */
  public static final class Budget {
    private final int perSecond;
    private final AtomicLong window = new AtomicLong();
    private final AtomicLong used = new AtomicLong();

    public Budget(int perSecond) {
      this.perSecond = perSecond;
    }

    /** True while this second's budget lasts. */
    public boolean allow() {
      long second = System.nanoTime() / 1_000_000_000L;
      long w = window.get();
      if (w != second && window.compareAndSet(w, second)) {
        used.set(0);
      }
      return used.incrementAndGet() <= perSecond;
    }
  }

  public void log(String format, Object... args) {
    long second = System.nanoTime() / 1_000_000_000L;
    long w = window.get();
    if (w != second && window.compareAndSet(w, second)) {
      written.set(0);
    }
    if (written.incrementAndGet() > PER_SECOND) {
      dropped.incrementAndGet();
      return;
    }
    long skipped = dropped.getAndSet(0);
    if (skipped > 0) {
      log.warn("({} similar lines not logged)", skipped);
    }
    log.warn(format, safe(args));
  }

  /** Text arguments escaped ({@link LogSafe}): refusals quote what hostile clients sent. */
  private static Object[] safe(Object[] args) {
    Object[] out = args.clone();
    for (int i = 0; i < out.length; i++) {
      if (out[i] != null && !(out[i] instanceof Throwable)) {
        out[i] = LogSafe.escape(out[i].toString());
      }
    }
    return out;
  }
}
