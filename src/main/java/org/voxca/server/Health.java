package org.voxca.server;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voxca.ca.RateLimitedLog;
import org.voxca.http.Readiness;
import org.voxca.store.CaStore;

/**
 * The server's readiness for orchestrators: {@code starting} until the first scan of the CA
 * directory has built the in-memory indexes, {@code error} while the store does not answer (or that
 * scan failed), {@code stopping} once shutdown begins, else {@code running}. The CA itself is
 * loaded before the listener opens, so a server that answers at all has it.
 */
final class Health implements Readiness {
  private static final Logger LOG = LoggerFactory.getLogger(Health.class);

  private final CaStore store;
  private final CompletableFuture<Boolean> indexed = new CompletableFuture<>();
  private final RateLimitedLog.Budget problems = new RateLimitedLog.Budget(1);
  private volatile boolean stopping;

  Health(CaStore store) {
    this.store = store;
  }

  /** The first index scan ended: {@code ok} false when it failed. */
  void indexed(boolean ok) {
    indexed.complete(ok);
  }

  void stopping() {
    stopping = true;
  }

  /** Waits (up to {@code max}) for the first index scan; true when it finished and succeeded. */
  boolean awaitIndexed(Duration max) {
    try {
      return indexed.get(max.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      return false;
    }
  }

  @Override
  public State state() {
    if (stopping) {
      return State.STOPPING;
    }
    Boolean scan = indexed.getNow(null);
    if (scan == null) {
      return State.STARTING;
    }
    if (!scan) {
      return State.ERROR;
    }
    try {
      store.probe();
      return State.RUNNING;
    } catch (RuntimeException e) {
      if (problems.allow()) {
        LOG.warn("Readiness: the CA store does not answer: {}", e.getMessage());
      }
      return State.ERROR;
    }
  }
}
