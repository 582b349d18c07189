package org.voxca.store.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code LISTEN voxca_ca} on a connection of its own: when any replica changes a CA document (CRL,
 * bundle) its transaction notifies, and every replica's listeners run at once — within
 * milliseconds, where the one-second poll is the fallback. Reconnects by itself when the connection
 * drops.
 */
final class PgListener implements AutoCloseable {
  static final String CHANNEL = "voxca_ca";
  private static final Logger LOG = LoggerFactory.getLogger(PgListener.class);
  private final String url;
  private final Properties props;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private volatile boolean closed;
  private Thread thread;

  PgListener(String url, String user, String password) {
    this.url = url;
    this.props = new Properties();
    props.setProperty("user", user);
    if (password != null) {
      props.setProperty("password", password);
    }
  }

  synchronized void add(Runnable listener) {
    listeners.add(listener);
    if (thread == null) {
      thread = new Thread(this::run, "voxca-pg-listen");
      thread.setDaemon(true);
      thread.start();
    }
  }

  private void run() {
    boolean warned = false;
    while (!closed) {
      try (Connection c = DriverManager.getConnection(url, props)) {
        try (Statement s = c.createStatement()) {
          s.execute("LISTEN " + CHANNEL);
        }
        if (warned) {
          LOG.info("Listening for CA changes again");
          warned = false;
        }
        PGConnection pg = c.unwrap(PGConnection.class);
        while (!closed) {
          PGNotification[] n = pg.getNotifications(1000);
          if (n != null && n.length > 0) {
            for (Runnable l : listeners) {
              try {
                l.run();
              } catch (RuntimeException e) {
                LOG.warn("A CA change listener failed: {}", e.toString());
              }
            }
          }
        }
      } catch (SQLException e) {
        if (!closed && !warned) {
          LOG.warn("Not listening for CA changes (polling meanwhile): {}", e.getMessage());
          warned = true;
        }
        sleep();
      }
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    closed = true;
  }
}
