package org.voxca.server;

import org.slf4j.Logger;

/**
 * The log of a periodic task that may fail for a long while (the store down): its first failure at
 * WARN, then one line a minute with the count, and one INFO line when it works again — not a WARN
 * every second for the whole outage. Used by one scheduler thread.
 */
final class RepeatedFailure {
  private static final long QUIET_NANOS = 60_000_000_000L;
  private final Logger log;
  private final String what;
  private long failures;
  private long lastLogged;

  RepeatedFailure(Logger log, String what) {
    this.log = log;
    this.what = what;
  }

  void failed(RuntimeException e) {
    long now = System.nanoTime();
    failures++;
    if (failures == 1 || now - lastLogged >= QUIET_NANOS) {
      log.warn("{} failed ({} time(s) in a row): {}", what, failures, e.toString());
      lastLogged = now;
    }
  }

  void succeeded() {
    if (failures > 0) {
      log.info("{} works again after {} failure(s)", what, failures);
      failures = 0;
    }
  }
}
