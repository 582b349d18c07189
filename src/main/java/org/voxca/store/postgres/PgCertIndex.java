package org.voxca.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voxca.store.CertificateRecord;
import org.voxca.store.index.CertIndex;

/**
 * This replica's in-memory records of every name's certificate, for listings: built by one scan of
 * the table (in the background), kept in step with this replica's writes, and with every other
 * replica's through their notifications ({@code cert:<replica>:<name>}: that row is re-read);
 * rescanned when the listening connection was lost, as notifications may have been missed.
 */
final class PgCertIndex {
  static final String PREFIX = "cert:";
  private static final Logger LOG = LoggerFactory.getLogger(PgCertIndex.class);
  private final Sql sql;
  private final CertIndex index = new CertIndex();
  private final Object scanLock = new Object();
  private volatile CompletableFuture<Void> ready;

  /** This replica's mark in its notifications, so it does not re-read its own writes. */
  private final String self = PREFIX + UUID.randomUUID() + ":";

  PgCertIndex(Sql sql) {
    this.sql = sql;
  }

  /** Starts the first scan, once (again when the last attempt failed). */
  CompletableFuture<Void> start() {
    synchronized (scanLock) {
      if (ready == null || ready.isCompletedExceptionally()) {
        ready = CompletableFuture.runAsync(this::scan, PgCertIndex::daemon);
      }
      return ready;
    }
  }

  private static void daemon(Runnable r) {
    Thread t = new Thread(r, "voxca-pg-index");
    t.setDaemon(true);
    t.start();
  }

  void each(Predicate<String> name, Consumer<CertificateRecord> sink) {
    start().join();
    index.each(name, sink);
  }

  void put(CertificateRecord r) {
    index.put(r);
  }

  void remove(String name) {
    index.remove(name);
  }

  /**
   * Tells the other replicas, when the transaction of {@code c} commits, that a name's row changed.
   */
  void notifyOthers(Connection c, String name) throws SQLException {
    try (PreparedStatement ps =
        Sql.prepared(c, "SELECT pg_notify('" + PgListener.CHANNEL + "', ?)", self + name)) {
      ps.executeQuery().close();
    }
  }

  /**
   * A notification: {@code cert:<replica>:<name>} from another replica re-reads that row; this
   * replica's own, and anything else, are not for the index.
   */
  void changed(String payload) {
    CompletableFuture<Void> r = ready;
    if (r == null || !payload.startsWith(PREFIX) || payload.startsWith(self)) {
      return;
    }
    String name = payload.substring(payload.indexOf(':', PREFIX.length()) + 1);
    sql.one(
            "SELECT der FROM certificates WHERE name = ?",
            rs -> CertificateRecord.of(name, rs.getBytes(1)),
            name)
        .ifPresentOrElse(index::put, () -> index.remove(name));
  }

  /** Notifications may have been missed: read everything again (in the background). */
  void rescan() {
    if (ready != null) {
      CompletableFuture.runAsync(this::scan, PgCertIndex::daemon);
    }
  }

  private void scan() {
    synchronized (scanLock) {
      long t0 = System.nanoTime();
      index.beginScan();
      try {
        List<CertificateRecord> read = new ArrayList<>();
        sql.inConnection(
            c -> {
              c.setAutoCommit(false);
              try (PreparedStatement ps =
                  c.prepareStatement("SELECT name, der FROM certificates ORDER BY name")) {
                ps.setFetchSize(1000);
                try (ResultSet rs = ps.executeQuery()) {
                  while (rs.next()) {
                    read.add(CertificateRecord.of(rs.getString(1), rs.getBytes(2)));
                  }
                }
              } finally {
                c.commit();
                c.setAutoCommit(true);
              }
              return null;
            });
        Set<String> present = new HashSet<>();
        read.forEach(r -> present.add(r.name()));
        for (String known : List.copyOf(index.names())) {
          if (!present.contains(known)) {
            index.scannedMissing(known);
          }
        }
        index.scannedAll(read);
        LOG.info(
            "Indexed {} certificates from the database in {} ms",
            read.size(),
            (System.nanoTime() - t0) / 1_000_000);
      } finally {
        index.endScan();
      }
    }
  }
}
