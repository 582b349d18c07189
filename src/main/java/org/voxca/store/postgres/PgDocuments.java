package org.voxca.store.postgres;

import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import org.voxca.store.StoredFile;

/**
 * The CA's documents in {@code ca_documents} (bundle, public key, CRL chains, bundle backups), each
 * write notifying every replica ({@link PgListener}) when its transaction commits; and the row
 * helpers the store shares.
 */
final class PgDocuments {
  static final String BUNDLE = "ca_crt";
  static final String PUB = "ca_pub";
  static final String CRL = "ca_crl";
  static final String INFRA_CRL = "infra_crl";
  private final Sql sql;

  PgDocuments(Sql sql) {
    this.sql = sql;
  }

  Optional<StoredFile> document(String name) {
    return sql.one(
        "SELECT pem, modified FROM ca_documents WHERE name = ?", PgDocuments::stored, name);
  }

  Instant modified(String name) {
    return sql.one("SELECT modified FROM ca_documents WHERE name = ?", rs -> instant(rs, 1), name)
        .orElse(Instant.EPOCH);
  }

  static int upsert(Connection c, String name, byte[] pem, Instant modified) throws SQLException {
    try (PreparedStatement ps =
        Sql.prepared(
            c,
            "INSERT INTO ca_documents (name, pem, modified) VALUES (?, ?, ?) ON CONFLICT (name)"
                + " DO UPDATE SET pem = EXCLUDED.pem, modified = EXCLUDED.modified",
            name,
            pem,
            time(modified))) {
      int n = ps.executeUpdate();
      try (PreparedStatement notify =
          Sql.prepared(c, "SELECT pg_notify('" + PgListener.CHANNEL + "', ?)", name)) {
        notify.executeQuery().close(); // delivered to every replica when this transaction commits
      }
      return n;
    }
  }

  /** Deletes a document, telling every replica when the transaction commits. */
  static void delete(Connection c, String name) throws SQLException {
    try (PreparedStatement ps = Sql.prepared(c, "DELETE FROM ca_documents WHERE name = ?", name)) {
      ps.executeUpdate();
    }
    try (PreparedStatement notify =
        Sql.prepared(c, "SELECT pg_notify('" + PgListener.CHANNEL + "', ?)", name)) {
      notify.executeQuery().close();
    }
  }

  /** Replaces the bundle, keeping the previous one as {@code ca_crt.<suffix>}. */
  void replaceBundle(byte[] pem, String backupSuffix) {
    sql.transaction(
        c -> {
          try (PreparedStatement ps =
              Sql.prepared(
                  c,
                  "INSERT INTO ca_documents (name, pem, modified) SELECT ?, pem, modified"
                      + " FROM ca_documents WHERE name = ? ON CONFLICT (name) DO NOTHING",
                  BUNDLE + "." + backupSuffix,
                  BUNDLE)) {
            ps.executeUpdate();
          }
          return PgDocuments.upsert(c, BUNDLE, pem, PgDocuments.now());
        });
  }

  /** Writes documents and the serial counter in one transaction, {@code last} last. */
  void write(Map<String, byte[]> docs, String last, BigInteger nextSerial) {
    Instant now = now();
    sql.transaction(
        c -> {
          for (Map.Entry<String, byte[]> d : docs.entrySet()) {
            if (!d.getKey().equals(last)) {
              upsert(c, d.getKey(), d.getValue(), now);
            }
          }
          Sql.setval(c, nextSerial);
          return upsert(c, last, docs.get(last), now);
        });
  }

  static StoredFile stored(ResultSet rs) throws SQLException {
    return new StoredFile(rs.getBytes(1), instant(rs, 2));
  }

  static Instant instant(ResultSet rs, int col) throws SQLException {
    return rs.getObject(col, OffsetDateTime.class).toInstant();
  }

  static OffsetDateTime time(Instant i) {
    return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
  }

  /** Milliseconds, as the directory store's file times: what If-Modified-Since compares. */
  static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MILLIS);
  }
}
