package org.voxca.store.postgres;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.voxca.files.AtomicFiles;
import org.voxca.pki.Certificates;
import org.voxca.pki.Names;
import org.voxca.store.CaMaterial;
import org.voxca.store.CaStore;
import org.voxca.store.CertificateRecord;
import org.voxca.store.CheckReport;
import org.voxca.store.Checkable;
import org.voxca.store.Indexed;
import org.voxca.store.Replicated;
import org.voxca.store.StoreContent;
import org.voxca.store.StoredFile;
import org.voxca.store.Transferable;

/**
 * The CA's records in PostgreSQL, shared by every replica: the CA bundle and CRLs, CSRs, each
 * name's current certificate, the inventory of every certificate issued, the infrastructure nodes.
 * Serials come from a sequence, so replicas never issue one twice; a certificate and its inventory
 * row are written in one transaction. The CA's private keys stay on each replica's disk ({@code
 * ca_key.pem}, {@code root_key.pem} in its cadir), never in the database.
 */
public final class PostgresStore implements CaStore, Replicated, Indexed, Checkable, Transferable {
  static final String BUNDLE = "ca_crt";
  static final String PUB = "ca_pub";
  static final String CRL = "ca_crl";
  static final String INFRA_CRL = "infra_crl";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final PgDatabase db;
  private final Sql sql;
  private final PgNameLocks nameLocks;
  private final Duration lease;
  private final PgDocuments docs;
  private final PgCertIndex certIndex;
  private final Path cadir;
  private final boolean randomSerials;

  public PostgresStore(PgDatabase db, Path cadir, boolean randomSerials) {
    this(db, cadir, randomSerials, PgNameLocks.LEASE);
  }

  /** With name leases of {@code lease} (tests). */
  PostgresStore(PgDatabase db, Path cadir, boolean randomSerials, Duration lease) {
    this.db = db;
    this.sql = new Sql(db);
    this.lease = lease;
    this.nameLocks = new PgNameLocks(sql, lease);
    this.docs = new PgDocuments(sql);
    this.certIndex = new PgCertIndex(sql);
    db.onNotification(
        payload -> {
          if (payload.equals(PgListener.RESYNC)) {
            certIndex.rescan();
          } else {
            certIndex.changed(payload);
          }
        });
    this.cadir = cadir;
    this.randomSerials = randomSerials;
    AtomicFiles.directory(cadir, "rwxr-x---");
  }

  Path cakey() {
    return cadir.resolve("ca_key.pem");
  }

  // --- the CA itself

  @Override
  public Layout layout() {
    List<String> found = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    (Files.isRegularFile(cakey()) ? found : missing).add(cakey().toString());
    for (String doc : List.of(BUNDLE, CRL)) {
      (docs.document(doc).isPresent() ? found : missing).add("database: " + doc);
    }
    return new Layout(found, missing);
  }

  @Override
  public CaMaterial readCa() {
    return new CaMaterial(
        text(docs.document(BUNDLE).orElseThrow()),
        read(cakey()),
        docs.document(PUB).map(PostgresStore::text).orElse(""),
        text(docs.document(CRL).orElseThrow()));
  }

  @Override
  public void initializeCa(CaMaterial m, X509Certificate caCert, BigInteger nextSerial) {
    if (!Files.isRegularFile(cakey())) {
      AtomicFiles.write(cakey(), utf8(m.privateKeyPem()), AtomicFiles.PRIVATE);
    }
    Instant now = PgDocuments.now();
    sql.transaction(
        c -> {
          PgDocuments.upsert(c, PUB, utf8(m.publicKeyPem()), now);
          PgDocuments.upsert(c, CRL, utf8(m.crlChainPem()), now);
          PgDocuments.upsert(c, INFRA_CRL, utf8(m.crlChainPem()), now);
          try (PreparedStatement ps =
              Sql.prepared(c, "SELECT setval('serials', ?, false)", nextSerial.longValueExact())) {
            ps.executeQuery().close();
          }
          if (caCert != null) {
            insertInventory(c, caCert);
          }
          PgDocuments.upsert(
              c, BUNDLE, utf8(m.certBundlePem()), now); // last: it marks a complete CA
          return null;
        });
  }

  @Override
  public void saveRootKey(String pem) {
    AtomicFiles.write(cadir.resolve("root_key.pem"), utf8(pem), AtomicFiles.PRIVATE);
  }

  @Override
  public Optional<String> rootKey() {
    Path p = cadir.resolve("root_key.pem");
    return Files.isRegularFile(p) ? Optional.of(read(p)) : Optional.empty();
  }

  @Override
  public StoredFile caBundle() {
    return docs.document(BUNDLE).orElseThrow(() -> new IllegalStateException("no CA bundle"));
  }

  @Override
  public StoredFile crlChain() {
    return docs.document(CRL).orElseThrow(() -> new IllegalStateException("no CRL chain"));
  }

  @Override
  public Instant caBundleModified() {
    return docs.modified(BUNDLE);
  }

  @Override
  public Instant crlChainModified() {
    return docs.modified(CRL);
  }

  @Override
  public Optional<StoredFile> infraCrlChain() {
    return docs.document(INFRA_CRL);
  }

  @Override
  public void replaceInfraCrlChain(byte[] pem) {
    sql.inConnection(c -> PgDocuments.upsert(c, INFRA_CRL, pem, PgDocuments.now()));
  }

  @Override
  public void replaceCaBundle(byte[] pem, String backupSuffix) {
    docs.replaceBundle(pem, backupSuffix);
  }

  @Override
  public void replaceCrlChain(byte[] pem) {
    sql.inConnection(c -> PgDocuments.upsert(c, CRL, pem, PgDocuments.now()));
  }

  // --- CSRs and certificates

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

  /**
   * A session advisory lock on one pooled connection, held until closed: the CA-wide lock of every
   * replica. The caller holds its own in-process lock first, so a replica uses one connection for
   * it at most.
   */
  @Override
  public Held exclusive() {
    return nameLocks.caWide(db);
  }

  @Override
  public Held lockName(String name) {
    return nameLocks.lock(name);
  }

  /** Every replica's change of the CA documents, told at once by LISTEN/NOTIFY. */
  @Override
  public void onChange(Runnable listener) {
    db.onNotification(
        payload -> {
          if (!payload.startsWith(PgCertIndex.PREFIX)) {
            listener.run(); // a CA document changed (or notifications were missed)
          }
        });
  }

  /** The records listings read, built in the background and kept fresh by notifications. */
  @Override
  public java.util.concurrent.CompletableFuture<Void> startIndexing() {
    return certIndex.start();
  }

  /** Nothing to prepare: the schema was migrated when the store was opened. */
  @Override
  public List<String> prepare() {
    return List.of();
  }

  /** Nothing to re-read: another replica's changes arrive as notifications. */
  @Override
  public void refreshIfChanged() {}

  @Override
  public CheckReport check(boolean repair) {
    return new PgCheck(sql, docs, cakey(), lease).run(repair);
  }

  @Override
  public String location() {
    return db.url();
  }

  /** The database answers and this replica's CA key is readable. */
  @Override
  public void probe() {
    sql.one("SELECT 1", rs -> rs.getInt(1));
    if (!Files.isReadable(cakey())) {
      throw new IllegalStateException("not a readable file: " + cakey());
    }
  }

  @Override
  public void close() {
    nameLocks.close();
    db.close();
  }

  /** The whole database, for migrate and export. */
  @Override
  public StoreContent content() {
    return new PgTransfer(sql, this);
  }

  /** A CA document's bytes ({@link #BUNDLE}, {@link #PUB}, …), if present. */
  Optional<byte[]> documentBytes(String name) {
    return docs.document(name).map(StoredFile::bytes);
  }

  /** Writes CA documents and the serial counter in one transaction, {@code last} last. */
  void writeDocuments(Map<String, byte[]> documents, String last, BigInteger nextSerial) {
    docs.write(documents, last, nextSerial);
  }

  // --- helpers

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

  private static String text(StoredFile f) {
    return f.text();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot read " + p, e);
    }
  }
}
