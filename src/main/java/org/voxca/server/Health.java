package org.voxca.server;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voxca.ca.CaValidity;
import org.voxca.ca.RateLimitedLog;
import org.voxca.http.Readiness;
import org.voxca.store.CaStore;

/**
 * The server's readiness for orchestrators: {@code starting} until the first scan of the CA
 * directory has built the in-memory indexes, {@code error} while the store does not answer (or that
 * scan failed) or while the CA cannot sign (its certificate expired or not valid yet, its key's
 * token failing), {@code stopping} once shutdown begins, else {@code running}; {@link #problem()}
 * says which. The CA itself is loaded before the listener opens, so a server that answers at all
 * has it.
 */
final class Health implements Readiness {
  private static final Logger LOG = LoggerFactory.getLogger(Health.class);

  /** Why the CA is not {@code running}. */
  enum Problem {
    STARTING,
    STOPPING,
    INDEX_FAILED,
    STORE_UNAVAILABLE,
    CA_EXPIRED,
    CA_NOT_YET_VALID,
    CA_KEY_UNAVAILABLE;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final CaStore store;
  private final Supplier<X509Certificate> caCertificate;
  private final Clock clock;
  private final Supplier<String> keyProblem;
  private final CompletableFuture<Boolean> indexed = new CompletableFuture<>();
  private final RateLimitedLog.Budget problems = new RateLimitedLog.Budget(1);
  private volatile boolean stopping;

  Health(
      CaStore store,
      Supplier<X509Certificate> caCertificate,
      Supplier<String> keyProblem,
      Clock clock) {
    this.keyProblem = keyProblem;
    this.store = store;
    this.caCertificate = caCertificate;
    this.clock = clock;
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
    Problem p = problem();
    if (p == null) {
      return State.RUNNING;
    }
    return switch (p) {
      case STARTING -> State.STARTING;
      case STOPPING -> State.STOPPING;
      default -> State.ERROR;
    };
  }

  @Override
  public String reason() {
    Problem p = problem();
    return p == null ? null : p.label();
  }

  /** Why the CA is not running now; null when it is. */
  Problem problem() {
    if (stopping) {
      return Problem.STOPPING;
    }
    Boolean scan = indexed.getNow(null);
    if (scan == null) {
      return Problem.STARTING;
    }
    if (!scan) {
      return Problem.INDEX_FAILED;
    }
    CaValidity ca = CaValidity.of(caCertificate.get(), clock.instant());
    if (ca != null) {
      return ca == CaValidity.CA_EXPIRED ? Problem.CA_EXPIRED : Problem.CA_NOT_YET_VALID;
    }
    if (keyProblem.get() != null) {
      return Problem.CA_KEY_UNAVAILABLE;
    }
    try {
      store.probe();
      return null;
    } catch (RuntimeException e) {
      if (problems.allow()) {
        LOG.warn("Readiness: the CA store does not answer: {}", e.getMessage());
      }
      return Problem.STORE_UNAVAILABLE;
    }
  }
}
