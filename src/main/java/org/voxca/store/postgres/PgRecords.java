package org.voxca.store.postgres;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.voxca.pki.Certificates;
import org.voxca.pki.Names;
import org.voxca.store.CaRecords;
import org.voxca.store.CertificateRecord;
import org.voxca.store.StoredFile;

/**
 * The records of the database store: pending CSRs, each name's current certificate (kept in the
 * listing index too), the inventory of every certificate issued, the infrastructure nodes, and the
 * serial sequence. A certificate and its inventory row are written in one transaction.
 */
final class PgRecords implements CaRecords {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final Sql sql;
  private final PgCertIndex certIndex;
  private final boolean randomSerials;

  PgRecords(Sql sql, PgCertIndex certIndex, boolean randomSerials) {
    this.sql = sql;
    this.certIndex = certIndex;
    this.randomSerials = randomSerials;
  }

  @Override
  public Optional<StoredFile> certificate(String name) {
    return sql.one(
        "SELECT pem, modified FROM certificates WHERE name = ?", PgDocuments::stored, name);
  }

  @Override
  public Optional<StoredFile> csr(String name) {
    return sql.one("SELECT pem, modified FROM csrs WHERE name = ?", PgDocuments::stored, name);
  }

  @Override
  public void saveCsr(String name, byte[] pem) {
    sql.update(
        "INSERT INTO csrs (name, pem, modified) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE"
            + " SET pem = EXCLUDED.pem, modified = EXCLUDED.modified",
        name,
        pem,
        PgDocuments.time(PgDocuments.now()));
  }

  @Override
  public boolean deleteCsr(String name) {
    return sql.update("DELETE FROM csrs WHERE name = ?", name) > 0;
  }

  @Override
  public List<String> csrNames() {
    return sql.list("SELECT name FROM csrs ORDER BY name", rs -> rs.getString(1));
  }

  @Override
  public void eachCertificate(Predicate<String> name, Consumer<CertificateRecord> sink) {
    certIndex.each(name, sink);
  }

  @Override
  public Optional<CertificateRecord> certificateRecord(String name) {
    return sql.one(
        "SELECT der FROM certificates WHERE name = ?",
        rs -> CertificateRecord.of(name, rs.getBytes(1)),
        name);
  }

  @Override
  public boolean deleteCertificate(String name) {
    boolean deleted =
        sql.transaction(
            c -> {
              try (PreparedStatement ps =
                  Sql.prepared(c, "DELETE FROM certificates WHERE name = ?", name)) {
                boolean d = ps.executeUpdate() > 0;
                if (d) {
                  certIndex.notifyOthers(c, name);
                }
                return d;
              }
            });
    if (deleted) {
      certIndex.remove(name);
    }
    return deleted;
  }

  @Override
  public BigInteger allocateSerial() {
    if (!randomSerials) {
      return sql.one("SELECT nextval('serials')", rs -> BigInteger.valueOf(rs.getLong(1)))
          .orElseThrow();
    }
    BigInteger s;
    do {
      s = new BigInteger(128, RANDOM).setBit(126);
    } while (issued(s));
    return s;
  }

  @Override
  public void recordIssued(X509Certificate cert) {
    sql.inConnection(c -> insertInventory(c, cert));
  }

  /** The inventory row and the name's certificate row, in one transaction. */
  @Override
  public void saveCertificate(String name, X509Certificate cert, byte[] pem) {
    save(name, cert, pem, false);
  }

  /** The inventory row, the certificate row and the CSR's removal, in one transaction. */
  @Override
  public void saveCertificateFromCsr(String name, X509Certificate cert, byte[] pem) {
    save(name, cert, pem, true);
  }

  private void save(String name, X509Certificate cert, byte[] pem, boolean consumeCsr) {
    Instant now = PgDocuments.now();
    sql.transaction(
        c -> {
          insertInventory(c, cert);
          if (consumeCsr) {
            try (PreparedStatement ps = Sql.prepared(c, "DELETE FROM csrs WHERE name = ?", name)) {
              ps.executeUpdate();
            }
          }
          try (PreparedStatement ps =
              Sql.prepared(
                  c,
                  "INSERT INTO certificates (name, serial, not_before, not_after, der, pem,"
                      + " modified) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET"
                      + " serial = EXCLUDED.serial, not_before = EXCLUDED.not_before, not_after ="
                      + " EXCLUDED.not_after, der = EXCLUDED.der, pem = EXCLUDED.pem, modified ="
                      + " EXCLUDED.modified",
                  name,
                  new BigDecimal(cert.getSerialNumber()),
                  PgDocuments.time(cert.getNotBefore().toInstant()),
                  PgDocuments.time(cert.getNotAfter().toInstant()),
                  Certificates.der(cert),
                  pem,
                  PgDocuments.time(now))) {
            ps.executeUpdate();
          }
          certIndex.notifyOthers(c, name);
          return null;
        },
        c -> {
          // the commit's answer was lost: the certificate is there, or nothing is
          try (PreparedStatement ps =
                  Sql.prepared(
                      c,
                      "SELECT 1 FROM certificates WHERE name = ? AND serial = ?",
                      name,
                      new BigDecimal(cert.getSerialNumber()));
              java.sql.ResultSet rs = ps.executeQuery()) {
            return rs.next();
          }
        });
    certIndex.put(CertificateRecord.of(name, cert));
  }

  @Override
  public Set<BigInteger> liveSerials(String name, Instant now) {
    return new LinkedHashSet<>(
        sql.list(
            "SELECT serial FROM inventory WHERE subject = ? AND not_after > ? ORDER BY seq",
            rs -> rs.getBigDecimal(1).toBigIntegerExact(),
            "/CN=" + name,
            PgDocuments.time(now.equals(Instant.MIN) ? Instant.EPOCH : now)));
  }

  @Override
  public boolean issued(BigInteger serial) {
    return sql.one("SELECT 1 FROM inventory WHERE serial = ?", rs -> true, new BigDecimal(serial))
        .isPresent();
  }

  @Override
  public Map<BigInteger, Instant> inventoryNotAfter() {
    Map<BigInteger, Instant> out = new HashMap<>();
    sql.list(
            "SELECT serial, not_after FROM inventory",
            rs -> Map.entry(rs.getBigDecimal(1).toBigIntegerExact(), PgDocuments.instant(rs, 2)))
        .forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  @Override
  public Set<String> infraNodes() {
    return new LinkedHashSet<>(
        sql.list("SELECT name FROM infra_nodes ORDER BY name", rs -> rs.getString(1)));
  }

  static int insertInventory(Connection c, X509Certificate cert) throws SQLException {
    try (PreparedStatement ps =
        Sql.prepared(
            c,
            "INSERT INTO inventory (serial, not_before, not_after, subject) VALUES (?, ?, ?, ?)",
            new BigDecimal(cert.getSerialNumber()),
            PgDocuments.time(cert.getNotBefore().toInstant()),
            PgDocuments.time(cert.getNotAfter().toInstant()),
            Names.inventorySubject(cert.getSubjectX500Principal()))) {
      return ps.executeUpdate();
    }
  }
}
