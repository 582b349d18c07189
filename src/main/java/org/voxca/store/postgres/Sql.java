package org.voxca.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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

  /** Runs {@code work} in one transaction: all of it or none of it. */
  <T> T transaction(Work<T> work) {
    return inConnection(
        c -> {
          c.setAutoCommit(false);
          try {
            T t = work.run(c);
            c.commit();
            return t;
          } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
          } finally {
            c.setAutoCommit(true);
          }
        });
  }

  <T> T inConnection(Work<T> work) {
    try (Connection c = db.connection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw new StoreUnavailable(e);
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
