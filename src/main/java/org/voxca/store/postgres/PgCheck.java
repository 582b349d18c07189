package org.voxca.store.postgres;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.voxca.pki.Certificates;
import org.voxca.pki.Csr;
import org.voxca.pki.Keys;
import org.voxca.pki.PkiException;
import org.voxca.store.CheckReport;
import org.voxca.store.StoredFile;

/**
 * {@code voxca ca check} on the database: the CA bundle, this replica's key and the CRL chain
 * agree; every certificate row parses, is the certificate its columns describe, names its row and
 * is in the inventory; every CSR parses; the serial sequence is ahead of every serial it issued; no
 * expired name lease is left. Repairs what a repair cannot get wrong: missing inventory rows (from
 * the certificate itself), the sequence, expired leases. Safe while replicas run: every repair is a
 * statement that a concurrent transaction cannot contradict.
 */
final class PgCheck {
  private final Sql sql;
  private final PgDocuments docs;
  private final Path cakey;
  private final long graceSeconds;
  private final List<String> problems = new ArrayList<>();
  private final List<String> repairs = new ArrayList<>();

  private final PgCaKeys keys;

  PgCheck(Sql sql, PgDocuments docs, PgCaKeys keys, java.time.Duration lease) {
    this.keys = keys;
    Path cakey = keys.file(PgCaDocuments.CA_KEY);
    this.sql = sql;
    this.docs = docs;
    this.cakey = cakey;
    this.graceSeconds = lease.toSeconds();
  }

  CheckReport run(boolean repair) {
    caDocuments();
    certificates(repair);
    csrs();
    serialSequence(repair);
    leases(repair);
    return new CheckReport(List.copyOf(problems), List.copyOf(repairs));
  }

  private void caDocuments() {
    X509Certificate ca;
    try {
      ca = Certificates.readCertificates(text(docs.document(PgDocuments.BUNDLE))).get(0);
    } catch (RuntimeException e) {
      problems.add("the CA bundle (ca_crt) is missing or unreadable");
      return;
    }
    try {
      String pem = keys.read(PgCaDocuments.CA_KEY).orElseThrow(() -> new PkiException("absent"));
      if (!Keys.readKeyPair(pem).getPublic().equals(ca.getPublicKey())) {
        problems.add(cakey + " is not the key of the CA certificate in the database");
      }
    } catch (java.io.UncheckedIOException | PkiException e) {
      problems.add("cannot read the CA key " + cakey + " (or database: ca_key)");
    }
    try {
      X509CRL crl = Certificates.readCrls(text(docs.document(PgDocuments.CRL))).get(0);
      crl.verify(ca.getPublicKey());
    } catch (RuntimeException | GeneralSecurityException e) {
      problems.add("the CRL chain (ca_crl) is missing, unreadable or not signed by the CA");
    }
  }

  private void certificates(boolean repair) {
    Map<String, X509Certificate> missing = new LinkedHashMap<>();
    sql.inConnection(
        c -> {
          c.setAutoCommit(false); // a cursor: rows fetched 500 at a time, not all held at once
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT c.name, c.serial, c.pem, i.serial IS NULL FROM certificates c LEFT JOIN"
                      + " inventory i ON i.serial = c.serial ORDER BY c.name")) {
            ps.setFetchSize(500);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                String pem = new String(rs.getBytes(3), StandardCharsets.US_ASCII);
                X509Certificate cert = certificate(rs.getString(1), rs.getBigDecimal(2), pem);
                if (cert != null && rs.getBoolean(4)) {
                  missing.put(rs.getString(1), cert);
                }
              }
            }
          } finally {
            c.rollback();
            c.setAutoCommit(true);
          }
          return null;
        });
    for (Map.Entry<String, X509Certificate> m : missing.entrySet()) {
      X509Certificate cert = m.getValue();
      problems.add(
          "the certificate of "
              + m.getKey()
              + " (serial "
              + cert.getSerialNumber().toString(16)
              + ") is not in the inventory");
      if (repair) {
        sql.transaction(c -> PgRecords.insertInventory(c, cert));
        repairs.add("added serial " + cert.getSerialNumber().toString(16) + " to the inventory");
      }
    }
  }

  /** The row's certificate when it is the one its columns say; else null, a problem recorded. */
  private X509Certificate certificate(String name, BigDecimal serial, String pem) {
    X509Certificate cert;
    try {
      cert = Certificates.readCertificates(pem).get(0);
    } catch (RuntimeException e) {
      problems.add("the certificate of " + name + " is unreadable");
      return null;
    }
    if (!cert.getSerialNumber().equals(serial.toBigIntegerExact())) {
      problems.add("the certificate of " + name + " does not have the serial its row records");
      return null;
    }
    if (!name.equals(Certificates.commonName(cert))) {
      problems.add("the certificate stored for " + name + " is issued to another name");
      return null;
    }
    return cert;
  }

  private void csrs() {
    for (String[] csr :
        sql.list(
            "SELECT name, pem FROM csrs ORDER BY name",
            rs ->
                new String[] {
                  rs.getString(1), new String(rs.getBytes(2), StandardCharsets.UTF_8)
                })) {
      try {
        Csr.fromPem(csr[1]);
      } catch (RuntimeException e) {
        problems.add("the CSR of " + csr[0] + " is unreadable");
      }
    }
  }

  /** Sequential serials (below 2^63; random ones are 127 bits) must stay behind the sequence. */
  private void serialSequence(boolean repair) {
    long next =
        sql.one(
                "SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END FROM serials",
                rs -> rs.getLong(1))
            .orElseThrow();
    BigInteger highest =
        sql.one(
                "SELECT coalesce(max(serial), 0) FROM inventory WHERE serial < 9223372036854775807",
                rs -> rs.getBigDecimal(1).toBigIntegerExact())
            .orElseThrow();
    if (highest.compareTo(BigInteger.valueOf(next)) >= 0) {
      problems.add(
          "the serial sequence would issue "
              + Long.toHexString(next)
              + ", already issued (highest "
              + highest.toString(16)
              + ")");
      if (repair) {
        sql.one(
            "SELECT setval('serials', greatest(?, (SELECT last_value FROM serials)))",
            rs -> rs.getLong(1),
            highest.longValueExact());
        repairs.add("the serial sequence moved past " + highest.toString(16));
      }
    }
  }

  /**
   * Leases a crashed holder left behind: harmless (the next taker takes them over), but untidy. A
   * live holder renews its leases, so only one expired for longer than a whole lease is stale (a
   * renewal a little late is not a problem).
   */
  private void leases(boolean repair) {
    String staleSql = "expires < now() - make_interval(secs => " + graceSeconds + ")";
    List<String> stale =
        sql.list("SELECT name FROM name_locks WHERE " + staleSql, rs -> rs.getString(1));
    for (String name : stale) {
      problems.add("an expired lease on " + name + " (its holder stopped while working on it)");
    }
    if (repair && !stale.isEmpty()) {
      int n = sql.update("DELETE FROM name_locks WHERE " + staleSql);
      repairs.add("removed " + n + " expired lease(s)");
    }
  }

  private static String text(java.util.Optional<StoredFile> f) {
    return f.orElseThrow().text();
  }
}
