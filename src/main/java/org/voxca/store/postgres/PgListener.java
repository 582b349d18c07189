package org.voxca.store.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
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

  /** The payload told after a reconnection: notifications may have been missed. */
  static final String RESYNC = "*resync*";

  private static final Logger LOG = LoggerFactory.getLogger(PgListener.class);
  private final String url;
  private final Properties props;
  private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
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

  /** Told every notification's payload, and {@link #RESYNC} after a lost connection came back. */
  synchronized void add(Consumer<String> listener) {
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
          tell(RESYNC); // what was notified meanwhile is lost
        }
        PGConnection pg = c.unwrap(PGConnection.class);
        while (!closed) {
          PGNotification[] n = pg.getNotifications(1000);
          if (n != null) {
            for (PGNotification one : n) {
              tell(one.getParameter());
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

  private void tell(String payload) {
    for (Consumer<String> l : listeners) {
      try {
        l.accept(payload);
      } catch (RuntimeException e) {
        LOG.warn("A CA change listener failed: {}", e.toString());
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
