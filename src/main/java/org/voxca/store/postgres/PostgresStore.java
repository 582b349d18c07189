package org.voxca.store.postgres;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.voxca.files.AtomicFiles;
import org.voxca.store.CaDocuments;
import org.voxca.store.CaRecords;
import org.voxca.store.CaStore;
import org.voxca.store.CheckReport;
import org.voxca.store.Checkable;
import org.voxca.store.EnrolmentRecords;
import org.voxca.store.Indexed;
import org.voxca.store.KeyProtection;
import org.voxca.store.Replicated;
import org.voxca.store.StoreContent;
import org.voxca.store.Transferable;

/**
 * The CA's records in PostgreSQL, shared by every replica: the CA bundle and CRLs, CSRs, each
 * name's current certificate, the inventory of every certificate issued, the infrastructure nodes.
 * Serials come from a sequence, so replicas never issue one twice; a certificate and its inventory
 * row are written in one transaction. The CA's private keys stay on each replica's disk ({@code
 * ca_key.pem}, {@code root_key.pem} in its cadir), never in the database.
 */
public final class PostgresStore implements CaStore, Replicated, Indexed, Checkable, Transferable {

  private final PgDatabase db;
  private final Sql sql;
  private final PgNameLocks nameLocks;
  private final Duration lease;
  private final PgDocuments docs;
  private final PgCertIndex certIndex;
  private final Path cadir;
  private final PgRecords records;
  private final PgCaDocuments documents;
  private final PgEnrolment enrolment;
  private final KeyProtection keys;

  public PostgresStore(PgDatabase db, Path cadir, boolean randomSerials) {
    this(db, cadir, randomSerials, KeyProtection.PLAIN);
  }

  /** As above, the CA keys in {@code cadir} kept as {@code keys} says. */
  public PostgresStore(PgDatabase db, Path cadir, boolean randomSerials, KeyProtection keys) {
    this(db, cadir, randomSerials, PgNameLocks.LEASE, keys);
  }

  /** With name leases of {@code lease} (tests). */
  PostgresStore(PgDatabase db, Path cadir, boolean randomSerials, Duration lease) {
    this(db, cadir, randomSerials, lease, KeyProtection.PLAIN);
  }

  private PostgresStore(
      PgDatabase db, Path cadir, boolean randomSerials, Duration lease, KeyProtection keys) {
    this.db = db;
    this.keys = keys;
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
    this.records = new PgRecords(sql, certIndex, randomSerials);
    this.documents = new PgCaDocuments(sql, docs, cadir, keys);
    this.enrolment = new PgEnrolment(sql);
    AtomicFiles.directory(cadir, "rwxr-x---");
  }

  Path cakey() {
    return documents.cakey();
  }

  @Override
  public CaDocuments documents() {
    return documents;
  }

  @Override
  public EnrolmentRecords enrolment() {
    return enrolment;
  }

  @Override
  public CaRecords records() {
    return records;
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

  @Override
  public void seen(String name) {
    sql.update(
        "INSERT INTO replicas (name, seen, stopped) VALUES (?, ?, false)"
            + " ON CONFLICT (name) DO UPDATE SET seen = EXCLUDED.seen, stopped = false",
        name,
        PgDocuments.time(PgDocuments.now()));
    sql.update(
        "DELETE FROM replicas WHERE seen < ?",
        PgDocuments.time(PgDocuments.now().minus(java.time.Duration.ofDays(7))));
  }

  @Override
  public void stopped(String name) {
    sql.update("UPDATE replicas SET stopped = true WHERE name = ?", name);
  }

  @Override
  public java.util.Map<String, java.time.Instant> running() {
    return heartbeats("SELECT name, seen FROM replicas WHERE NOT stopped ORDER BY name");
  }

  @Override
  public java.util.Map<String, java.time.Instant> replicas() {
    return heartbeats("SELECT name, seen FROM replicas ORDER BY name");
  }

  /** Replica names and last heartbeats, as {@code query} selects them. */
  private java.util.Map<String, java.time.Instant> heartbeats(String query) {
    java.util.Map<String, java.time.Instant> out = new java.util.TreeMap<>();
    for (var e :
        sql.list(query, rs -> java.util.Map.entry(rs.getString(1), PgDocuments.instant(rs, 2)))) {
      out.put(e.getKey(), e.getValue());
    }
    return out;
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
    return new PgCheck(sql, docs, documents.keys(), lease).run(repair);
  }

  @Override
  public String location() {
    return db.url();
  }

  /** The database answers and this replica's CA key is readable. */
  @Override
  public void probe() {
    sql.one("SELECT 1", rs -> rs.getInt(1));
    // the key (or what stands for it) is a file in this replica's cadir, or in the database
    if (Files.exists(cakey())
        ? !Files.isReadable(cakey())
        : !documents.keys().present(PgCaDocuments.CA_KEY)) {
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
    return new PgTransfer(sql, docs, records);
  }

  // --- helpers

}
