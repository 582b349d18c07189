package org.voxca.store.postgres;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.voxca.pki.Certificates;
import org.voxca.store.CertificateRecord;
import org.voxca.store.InventoryEntry;
import org.voxca.store.StoreContent;
import org.voxca.store.StoredFile;

/** {@link StoreContent} for the database: rows read in order, written in batches. */
final class PgTransfer implements StoreContent {
  private final Sql sql;
  private final PgDocuments docs;
  private final PgRecords records;

  PgTransfer(Sql sql, PgDocuments docs, PgRecords records) {
    this.sql = sql;
    this.docs = docs;
    this.records = records;
  }

  private Optional<byte[]> documentBytes(String name) {
    return docs.document(name).map(StoredFile::bytes);
  }

  @Override
  public StoreContent.Snapshot snapshot() {
    BigInteger next =
        sql.one(
                "SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END FROM serials",
                rs -> BigInteger.valueOf(rs.getLong(1)))
            .orElseThrow();
    return new StoreContent.Snapshot(
        documentBytes(PgDocuments.BUNDLE).orElseThrow(),
        documentBytes(PgDocuments.PUB).orElse(new byte[0]),
        documentBytes(PgDocuments.CRL).orElseThrow(),
        documentBytes(PgDocuments.INFRA_CRL).orElse(null),
        next,
        List.copyOf(records.infraNodes()));
  }

  /** No CA document, certificate, CSR or inventory row: a migration overwrites nothing. */
  @Override
  public boolean holdsNoCa() {
    return sql.one(
                "SELECT (SELECT count(*) FROM ca_documents) + (SELECT count(*) FROM certificates)"
                    + " + (SELECT count(*) FROM csrs) + (SELECT count(*) FROM inventory)",
                rs -> rs.getLong(1))
            .orElseThrow()
        == 0;
  }

  @Override
  public void restore(StoreContent.Snapshot s) {
    for (String n : s.infraNodes()) {
      sql.update("INSERT INTO infra_nodes (name) VALUES (?) ON CONFLICT DO NOTHING", n);
    }
    java.util.Map<String, byte[]> written = new java.util.LinkedHashMap<>();
    written.put(PgDocuments.PUB, s.publicKey());
    written.put(PgDocuments.CRL, s.crlChain());
    if (s.infraCrlChain() != null) {
      written.put(PgDocuments.INFRA_CRL, s.infraCrlChain());
    }
    written.put(PgDocuments.BUNDLE, s.bundle());
    docs.write(written, PgDocuments.BUNDLE, s.nextSerial());
  }

  @Override
  public void restoreCsr(String name, byte[] pem) {
    records.saveCsr(name, pem);
  }

  @Override
  public void eachInventoryEntry(Consumer<InventoryEntry> sink) {
    stream(
        "SELECT serial, not_before, not_after, subject FROM inventory ORDER BY seq",
        rs ->
            sink.accept(
                new InventoryEntry(
                    rs.getBigDecimal(1).toBigIntegerExact(),
                    rs.getObject(2, OffsetDateTime.class).toInstant(),
                    rs.getObject(3, OffsetDateTime.class).toInstant(),
                    rs.getString(4))));
  }

  @Override
  public void eachCsr(BiConsumer<String, byte[]> sink) {
    stream(
        "SELECT name, pem FROM csrs ORDER BY name",
        rs -> sink.accept(rs.getString(1), rs.getBytes(2)));
  }

  @Override
  public void eachCertificatePem(BiConsumer<String, byte[]> sink) {
    stream(
        "SELECT name, pem FROM certificates ORDER BY name",
        rs -> sink.accept(rs.getString(1), rs.getBytes(2)));
  }

  @Override
  public void restoreInventory(List<InventoryEntry> entries) {
    sql.transaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO inventory (serial, not_before, not_after, subject)"
                      + " VALUES (?, ?, ?, ?)")) {
            for (InventoryEntry e : entries) {
              ps.setBigDecimal(1, new BigDecimal(e.serial()));
              ps.setObject(2, time(e.notBefore()));
              ps.setObject(3, time(e.notAfter()));
              ps.setString(4, e.subject());
              ps.addBatch();
            }
            ps.executeBatch();
          }
          return null;
        });
  }

  /** One transaction and one batch of statements per call (StoreCopy passes 1,000 at a time). */
  @Override
  public void restoreCertificates(List<Map.Entry<String, byte[]>> certificates) {
    OffsetDateTime modified = time(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
    sql.transaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO certificates (name, serial, not_before, not_after, der, pem,"
                      + " modified) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (Map.Entry<String, byte[]> e : certificates) {
              byte[] der = Certificates.firstDer(e.getValue());
              CertificateRecord r = CertificateRecord.of(e.getKey(), der);
              ps.setString(1, e.getKey());
              ps.setBigDecimal(2, new BigDecimal(r.serial()));
              ps.setObject(3, time(r.notBefore()));
              ps.setObject(4, time(r.notAfter()));
              ps.setBytes(5, der);
              ps.setBytes(6, e.getValue());
              ps.setObject(7, modified);
              ps.addBatch();
            }
            ps.executeBatch();
          }
          return null;
        });
  }

  private void stream(String query, Row row) {
    sql.inConnection(
        c -> {
          c.setAutoCommit(false);
          try (PreparedStatement ps = c.prepareStatement(query)) {
            ps.setFetchSize(1000);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                row.accept(rs);
              }
            }
          } finally {
            c.commit();
            c.setAutoCommit(true);
          }
          return null;
        });
  }

  @FunctionalInterface
  private interface Row {
    void accept(ResultSet rs) throws SQLException;
  }

  static OffsetDateTime time(Instant i) {
    return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
  }
}
