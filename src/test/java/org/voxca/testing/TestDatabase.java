package org.voxca.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * A fresh, empty PostgreSQL database for one test class, on the server {@code scripts/postgres.sh}
 * started (its {@code VOXCA_TEST_PG_*} environment); dropped on close. Outside CI a missing server
 * skips the test; in CI it fails it.
 */
public final class TestDatabase implements AutoCloseable {
  private static final String BASE = System.getenv("VOXCA_TEST_PG_URL");
  public static final String USER = System.getenv("VOXCA_TEST_PG_USER");
  private static final String PASSWORD = System.getenv("VOXCA_TEST_PG_PASSWORD");
  public final String name;
  public final String url;

  private TestDatabase(String name) {
    this.name = name;
    this.url = BASE + name;
  }

  /** Creates the database, or skips (outside CI) when no PostgreSQL is configured. */
  public static TestDatabase create() {
    if (BASE == null) {
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError("no PostgreSQL: scripts/test must start it (scripts/postgres.sh)");
      }
      Assumptions.abort("no PostgreSQL (VOXCA_TEST_PG_URL unset; scripts/test starts one)");
    }
    String name = "voxca_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    admin("CREATE DATABASE " + name.toLowerCase(Locale.ROOT));
    return new TestDatabase(name);
  }

  public String password() {
    return PASSWORD;
  }

  /** A password file for voxca's {@code store.password-file}, under {@code dir}. */
  public Path passwordFile(Path dir) {
    try {
      Files.createDirectories(dir);
      return Files.writeString(dir.resolve("pg-password"), PASSWORD + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The HOCON that points voxca at this database. */
  public String hocon(Path dir) {
    return "voxca { store { type: postgres, url: \""
        + url
        + "\", user: "
        + USER
        + ", password-file: \""
        + passwordFile(dir)
        + "\" } }\n";
  }

  /** The database server's port. */
  public int port() {
    return java.net.URI.create(BASE.substring("jdbc:".length())).getPort();
  }

  /** The HOCON that points voxca at this database through a proxy on {@code proxyPort}. */
  public String hoconVia(Path dir, int proxyPort) {
    return hocon(dir)
        .replace(url, "jdbc:postgresql://127.0.0.1:" + proxyPort + "/" + name + "?sslmode=disable");
  }

  /** An outage: no new connection is accepted and every open one is cut. */
  public void block() {
    admin("ALTER DATABASE " + name + " ALLOW_CONNECTIONS false");
    admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "'");
  }

  /** The end of an outage. */
  public void unblock() {
    admin("ALTER DATABASE " + name + " ALLOW_CONNECTIONS true");
  }

  public Connection connect() throws SQLException {
    return DriverManager.getConnection(url, USER, PASSWORD);
  }

  private static void admin(String sql) {
    try (Connection c = DriverManager.getConnection(BASE + "postgres", USER, PASSWORD);
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  /**
   * Drops the database. A session this user may not signal (a background worker the server runs on
   * the database for a moment) makes FORCE fail: it is tried again for up to 10 s.
   */
  @Override
  public void close() {
    for (int attempt = 1; ; attempt++) {
      try {
        admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        return;
      } catch (IllegalStateException e) {
        if (attempt >= 40) {
          throw e;
        }
        try {
          Thread.sleep(250);
        } catch (InterruptedException stop) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }
}
