package org.voxca.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The connection pool of one replica (HikariCP, small: cores × 2) over the CA's database, whose
 * schema Flyway brings to the newest version (src/main/resources/db/migration) before use.
 */
public final class PgDatabase implements AutoCloseable {
  private final HikariDataSource pool;
  private final PgListener listener;
  private final String url;
  private final OutageCircuit circuit;

  private PgDatabase(HikariDataSource pool, PgListener listener, String url) {
    this.pool = pool;
    this.circuit =
        new OutageCircuit(
            pool::getConnection, () -> pool.getHikariPoolMXBean().getTotalConnections());
    this.listener = listener;
    this.url = url;
  }

  /** The JDBC URL without its query (which may carry credentials). */
  public String url() {
    int q = url.indexOf('?');
    return q < 0 ? url : url.substring(0, q);
  }

  /** Opens the pool and migrates the schema; {@code password} may be null (trust or .pgpass). */
  public static PgDatabase open(String url, String user, String password) {
    HikariConfig c = new HikariConfig();
    c.setJdbcUrl(url);
    c.setUsername(user);
    if (password != null) {
      c.setPassword(password);
    }
    c.setPoolName("voxca-pg");
    c.setMaximumPoolSize(Math.max(4, Runtime.getRuntime().availableProcessors() * 2));
    c.setMinimumIdle(1);
    c.setConnectionTimeout(Duration.ofSeconds(5).toMillis());
    c.setInitializationFailTimeout(Duration.ofSeconds(10).toMillis());
    c.setAutoCommit(true);
    HikariDataSource pool = new HikariDataSource(c);
    try {
      Flyway.configure()
          .dataSource(pool)
          .locations("classpath:db/migration")
          .loggers("slf4j")
          .load()
          .migrate();
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
    return new PgDatabase(pool, new PgListener(url, user, password), url);
  }

  DataSource dataSource() {
    return pool;
  }

  Connection connection() throws SQLException {
    return circuit.connection();
  }

  /** Tells {@code l} every notification's payload (and {@link PgListener#RESYNC}). */
  void onNotification(java.util.function.Consumer<String> l) {
    listener.add(l);
  }

  @Override
  public void close() {
    listener.close();
    pool.close();
  }
}
