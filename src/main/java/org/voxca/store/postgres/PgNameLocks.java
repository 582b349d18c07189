package org.voxca.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;
import org.voxca.store.CaStore;

/**
 * Cross-replica locks. Per-name leases in the {@code name_locks} table: taken by an insert (or by
 * taking over an expired lease), given back by a delete, never holding a connection in between — so
 * a replica's pool is not drained by names waiting for each other. A holder that crashes loses its
 * lease after {@link #LEASE_SECONDS}.
 */
final class PgNameLocks {
  static final int LEASE_SECONDS = 30;

  /** The advisory lock key of CA-wide writes ("voxca-ca" in ASCII). */
  private static final long CA_LOCK = 0x766f786361L;

  private static final long GIVE_UP_NANOS = 20_000_000_000L;
  private final Sql sql;
  private final String replica = UUID.randomUUID().toString();

  PgNameLocks(Sql sql) {
    this.sql = sql;
  }

  CaStore.Held lock(String name) {
    String holder = replica + "/" + Thread.currentThread().getId();
    long deadline = System.nanoTime() + GIVE_UP_NANOS;
    long pause = 2;
    while (sql.update(
            "INSERT INTO name_locks (name, holder, expires) VALUES (?, ?, now() + make_interval(secs"
                + " => ?)) ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expires ="
                + " EXCLUDED.expires WHERE name_locks.expires < now()",
            name,
            holder,
            LEASE_SECONDS)
        == 0) {
      if (System.nanoTime() > deadline) {
        throw new StoreUnavailable(
            new java.sql.SQLException("another replica holds " + name + " for too long"));
      }
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StoreUnavailable(new java.sql.SQLException("interrupted waiting for " + name));
      }
      pause = Math.min(50, pause * 2);
    }
    return () -> sql.update("DELETE FROM name_locks WHERE name = ? AND holder = ?", name, holder);
  }

  /**
   * The CA-wide lock: a session advisory lock on one pooled connection, held until closed. The
   * caller holds its own in-process lock first, so a replica uses one connection for it at most.
   */
  CaStore.Held caWide(PgDatabase db) {
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
      throw new StoreUnavailable(e);
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
