package org.voxca.store.postgres;

import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.voxca.store.StoreUnavailable;

/** Small JDBC helpers: one statement on a pooled connection, errors as {@link StoreUnavailable}. */
final class Sql {
  private final PgDatabase db;

  Sql(PgDatabase db) {
    this.db = db;
  }

  @FunctionalInterface
  interface Row<T> {
    T read(ResultSet rs) throws SQLException;
  }

  @FunctionalInterface
  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  int update(String sql, Object... args) {
    return inConnection(c -> prepared(c, sql, args).executeUpdate());
  }

  <T> Optional<T> one(String sql, Row<T> row, Object... args) {
    List<T> all = list(sql, row, args);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
  }

  <T> List<T> list(String sql, Row<T> row, Object... args) {
    return inConnection(
        c -> {
          List<T> out = new ArrayList<>();
          try (PreparedStatement ps = prepared(c, sql, args);
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(row.read(rs));
            }
          }
          return out;
        });
  }

  /** Whether a transaction's effect is in the database, asked on a connection of its own. */
  @FunctionalInterface
  interface Committed {
    boolean in(Connection c) throws SQLException;
  }

  /** How long an unknown commit outcome is asked after, the database permitting. */
  static final long VERIFY_NANOS = 20_000_000_000L;

  /** Runs {@code work} in one transaction: all of it or none of it. */
  <T> T transaction(Work<T> work) {
    return transaction(work, null);
  }

  /**
   * Runs {@code work} in one transaction. When the commit was sent but its answer lost (the
   * connection broke), the outcome is unknown: {@code committed} is then asked, on a new
   * connection, until the database answers (for up to {@link #VERIFY_NANOS}). Returns normally when
   * the work is in the database; a {@link StoreUnavailable} means it is not (or, past that time,
   * that nobody can yet say — its message says so).
   */
  <T> T transaction(Work<T> work, Committed committed) {
    boolean[] committing = {false};
    List<T> result = new ArrayList<>(1);
    try {
      return inConnection(
          c -> {
            c.setAutoCommit(false);
            try {
              T t = work.run(c);
              result.add(t);
              committing[0] = true;
              c.commit();
              return t;
            } catch (SQLException | RuntimeException e) {
              try {
                c.rollback();
              } catch (SQLException gone) {
                e.addSuppressed(gone);
              }
              throw e;
            } finally {
              try {
                c.setAutoCommit(true);
              } catch (SQLException gone) {
                // a broken connection: the pool discards it
              }
            }
          });
    } catch (StoreUnavailable e) {
      if (!committing[0] || committed == null) {
        throw e;
      }
      if (verify(committed)) {
        return result.get(0);
      }
      throw e;
    }
  }

  /** True when {@code committed} says so; false when it says not; unknown past the deadline. */
  private boolean verify(Committed committed) {
    long deadline = System.nanoTime() + VERIFY_NANOS;
    SQLException last = null;
    while (System.nanoTime() < deadline) {
      try (Connection c = db.connection()) {
        return committed.in(c);
      } catch (SQLException e) {
        last = e;
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    SQLException unknown =
        new SQLException(
            "a commit's outcome is unknown: the database did not answer for "
                + VERIFY_NANOS / 1_000_000_000L
                + " s after it; look the record up before trying again",
            last);
    throw Sql.unavailable(unknown);
  }

  <T> T inConnection(Work<T> work) {
    try (Connection c = db.connection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw Sql.unavailable(e);
    }
  }

  /** The store's failure contract for a database that did not answer: its first line, its cause. */
  static StoreUnavailable unavailable(SQLException cause) {
    String m = String.valueOf(cause.getMessage());
    int nl = m.indexOf('\n');
    return new StoreUnavailable(
        "the CA database is unavailable: " + (nl < 0 ? m : m.substring(0, nl)), cause);
  }

  /** Sets the serial sequence so that {@code next} is the next serial it gives. */
  static void setval(Connection c, BigInteger next) throws SQLException {
    try (PreparedStatement ps =
        Sql.prepared(c, "SELECT setval('serials', ?, false)", next.longValueExact())) {
      ps.executeQuery().close();
    }
  }

  static PreparedStatement prepared(Connection c, String sql, Object... args) throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    for (int i = 0; i < args.length; i++) {
      ps.setObject(i + 1, args[i]);
    }
    return ps;
  }
}
