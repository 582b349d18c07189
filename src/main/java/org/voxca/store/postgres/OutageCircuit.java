package org.voxca.store.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Fails fast while the database is unreachable. Without it every write of an outage waits the
 * pool's whole connection timeout (5 s) before its 503, holding a request thread meanwhile — a herd
 * of agents would take every thread and starve even the CA certificate and CRL, which are served
 * from memory. Once a connection could not be had and the pool holds none (the database does not
 * answer, as opposed to a pool merely busy), callers are refused at once; one caller at a time
 * tries again, at most once a second, and its success closes the circuit.
 */
final class OutageCircuit {

  /** A pooled connection, as the pool hands it out. */
  @FunctionalInterface
  interface Source {
    Connection get() throws SQLException;
  }

  private final long retryNanos;
  private final Source source;
  private final java.util.function.IntSupplier pooledConnections;
  private final AtomicBoolean trying = new AtomicBoolean();
  private volatile boolean open;
  private volatile long nextTry;
  private volatile SQLException cause;

  OutageCircuit(Source source, java.util.function.IntSupplier pooledConnections) {
    this(source, pooledConnections, 1_000_000_000L);
  }

  OutageCircuit(Source source, java.util.function.IntSupplier pooledConnections, long retryNanos) {
    this.retryNanos = retryNanos;
    this.source = source;
    this.pooledConnections = pooledConnections;
  }

  Connection connection() throws SQLException {
    if (!open) {
      return attempt();
    }
    if (System.nanoTime() - nextTry < 0 || !trying.compareAndSet(false, true)) {
      throw new SQLTransientConnectionException(
          "the database did not answer; retried once a second", "08001", cause);
    }
    try {
      return attempt();
    } finally {
      trying.set(false);
    }
  }

  private Connection attempt() throws SQLException {
    try {
      Connection c = source.get();
      open = false;
      return c;
    } catch (SQLException e) {
      if (pooledConnections.getAsInt() == 0) { // unreachable, not merely busy
        cause = e;
        nextTry = System.nanoTime() + retryNanos;
        open = true;
      }
      throw e;
    }
  }
}
