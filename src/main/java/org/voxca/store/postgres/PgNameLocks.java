package org.voxca.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.voxca.store.Replicated;

/**
 * Cross-replica locks. Per-name leases in the {@code name_locks} table: taken by an insert (or by
 * taking over an expired lease), given back by a delete, never holding a connection in between — so
 * a replica's pool is not drained by names waiting for each other. A live holder renews its leases
 * every third of their length, however long it works under them (an autosign policy may take its
 * full timeout); a holder that crashes loses its lease once it runs out, {@link #LEASE} by default.
 */
final class PgNameLocks implements AutoCloseable {
  static final Duration LEASE = Duration.ofSeconds(30);

  /** The advisory lock key of CA-wide writes ("voxca-ca" in ASCII). */
  private static final long CA_LOCK = 0x766f786361L;

  private static final long GIVE_UP_NANOS = 20_000_000_000L;
  private final Sql sql;
  private final String replica = UUID.randomUUID().toString();
  private final Duration lease;
  private final Map<String, String> held = new ConcurrentHashMap<>();
  private final ScheduledExecutorService renewer;

  PgNameLocks(Sql sql, Duration lease) {
    this.sql = sql;
    this.lease = lease;
    this.renewer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "voxca-lease-renewal");
              t.setDaemon(true);
              return t;
            });
    long every = Math.max(100, lease.toMillis() / 3);
    renewer.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
  }

  /** Extends every lease this replica holds; an outage only delays it. */
  private void renew() {
    for (Map.Entry<String, String> e : held.entrySet()) {
      try {
        sql.update(
            "UPDATE name_locks SET expires = now() + make_interval(secs => ?) WHERE name = ? AND"
                + " holder = ?",
            (double) lease.toSeconds(),
            e.getKey(),
            e.getValue());
      } catch (RuntimeException outage) {
        // the next round tries again; a lease lost meanwhile is one a takeover could take
      }
    }
  }

  @Override
  public void close() {
    renewer.shutdownNow();
  }

  Replicated.Held lock(String name) {
    String holder = replica + "/" + Thread.currentThread().getId();
    long deadline = System.nanoTime() + GIVE_UP_NANOS;
    long pause = 2;
    while (sql.update(
            "INSERT INTO name_locks (name, holder, expires) VALUES (?, ?, now() + make_interval(secs"
                + " => ?)) ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expires ="
                + " EXCLUDED.expires WHERE name_locks.expires < now()",
            name,
            holder,
            (double) lease.toSeconds())
        == 0) {
      if (System.nanoTime() > deadline) {
        throw Sql.unavailable(
            new java.sql.SQLException("another replica holds " + name + " for too long"));
      }
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw Sql.unavailable(new java.sql.SQLException("interrupted waiting for " + name));
      }
      pause = Math.min(50, pause * 2);
    }
    held.put(name, holder);
    return () -> {
      held.remove(name, holder);
      sql.update("DELETE FROM name_locks WHERE name = ? AND holder = ?", name, holder);
    };
  }

  /**
   * The CA-wide lock: a session advisory lock on one pooled connection, held until closed. The
   * caller holds its own in-process lock first, so a replica uses one connection for it at most.
   */
  Replicated.Held caWide(PgDatabase db) {
    Connection c;
    try {
      c = db.connection();
      try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_lock(?)")) {
        ps.setLong(1, CA_LOCK);
        ps.executeQuery().close();
      } catch (SQLException e) {
        c.close();
        throw e;
      }
    } catch (SQLException e) {
      throw Sql.unavailable(e);
    }
    return () -> {
      try (c;
          PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock(?)")) {
        ps.setLong(1, CA_LOCK);
        ps.executeQuery().close();
      } catch (SQLException e) {
        // the connection is gone, and the session's lock with it
      }
    };
  }
}
