package org.voxca.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.ca.CaLifecycle;
import org.voxca.ca.CaSettings;
import org.voxca.ca.StartupException;
import org.voxca.pki.Issuer;
import org.voxca.pki.Pem;
import org.voxca.store.CertificateRecord;
import org.voxca.store.StoreUnavailable;
import org.voxca.testing.TestDatabase;
import org.voxca.testing.TestPki;

/**
 * The PostgreSQL store on a real PostgreSQL: a CA created in the database with its key on disk, a
 * second replica that needs the key, serials unique across replicas, certificates and the inventory
 * written together.
 */
class PostgresStoreIT {
  @TempDir static Path dir;
  static TestDatabase db;
  static PostgresStore a;
  static Issuer issuer;
  static final CaSettings SETTINGS = CaSettings.defaults("pg.test").withKeyLength(2048);

  @BeforeAll
  static void create() {
    db = TestDatabase.create();
    a = open(dir.resolve("a"));
    issuer = CaLifecycle.initializeOrAdopt(a, SETTINGS, Clock.systemUTC());
  }

  @AfterAll
  static void drop() {
    if (a != null) {
      a.close();
    }
    if (db != null) {
      db.close();
    }
  }

  static PostgresStore open(Path cadir) {
    return open(cadir, PgNameLocks.LEASE);
  }

  static PostgresStore open(Path cadir, java.time.Duration lease) {
    return new PostgresStore(
        PgDatabase.open(db.url, TestDatabase.USER, db.password()), cadir, false, lease);
  }

  @Test
  void replicasHeartbeatsAreListedAndAWeekSilentOneIsForgotten() throws Exception {
    try (java.sql.Connection c =
            java.sql.DriverManager.getConnection(db.url, TestDatabase.USER, db.password());
        java.sql.PreparedStatement old =
            c.prepareStatement(
                "INSERT INTO replicas (name, seen) VALUES (?, now() - ?::interval)")) {
      old.setString(1, "gone:8140");
      old.setString(2, "8 days");
      old.executeUpdate();
      old.setString(1, "quiet:8140");
      old.setString(2, "6 days");
      old.executeUpdate();
    }
    java.time.Instant before = java.time.Instant.now().minusSeconds(5);
    a.seen("alive:8140");
    java.util.Map<String, java.time.Instant> seen = a.replicas();
    assertThat(seen).containsOnlyKeys("alive:8140", "quiet:8140");
    assertThat(seen.get("alive:8140")).isAfter(before);
    a.seen("alive:8140");
    assertThat(a.replicas()).as("one row per replica").hasSize(2);
    assertThat(a.running()).containsKeys("alive:8140", "quiet:8140");
    a.stopped("alive:8140");
    assertThat(a.running()).as("a clean stop releases it").doesNotContainKey("alive:8140");
    assertThat(a.replicas()).as("still listed, with its last heartbeat").containsKey("alive:8140");
    a.seen("alive:8140");
    assertThat(a.running()).as("started again").containsKey("alive:8140");
  }

  @Test
  void aLiveLeaseIsRenewedAndOnlyACrashedHoldersLeaseIsReported() throws Exception {
    java.time.Duration lease = java.time.Duration.ofSeconds(1);
    PostgresStore b = open(dir.resolve("a"), lease);
    PostgresStore c = open(dir.resolve("a"), lease);
    try {
      org.voxca.store.Replicated.Held held = b.lockName("long.lease.test");
      Thread.sleep(3500); // three leases long: renewed all along
      assertThat(c.check(false).problems()).noneMatch(p -> p.contains("lease"));
      var taker =
          java.util.concurrent.CompletableFuture.supplyAsync(() -> c.lockName("long.lease.test"));
      Thread.sleep(1500);
      assertThat(taker).as("a live lease is never taken over").isNotDone();
      held.close();
      taker.get(5, java.util.concurrent.TimeUnit.SECONDS).close();

      // a holder that stops without giving its lease back: stale after a lease and a grace
      b.lockName("crashed.lease.test");
      b.close(); // no more renewals, no release
      Thread.sleep(2500);
      assertThat(c.check(false).problems())
          .anyMatch(p -> p.contains("an expired lease on crashed.lease.test"));
      assertThat(c.check(true).repairs()).anyMatch(r -> r.contains("expired lease"));
    } finally {
      b.close();
      c.close();
    }
  }

  @Test
  void theCaLivesInTheDatabaseAndItsKeyOnDisk() throws Exception {
    assertThat(a.documents().layout().complete()).isTrue();
    Path key = dir.resolve("a/ca_key.pem");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .isEqualTo("rw-r-----");
    assertThat(a.documents().caBundle().text()).contains("BEGIN CERTIFICATE");
    assertThat(a.documents().crlChain().text()).contains("BEGIN X509 CRL");
    try (var c = db.connect();
        var rs =
            c.createStatement()
                .executeQuery(
                    "SELECT count(*) FROM ca_documents WHERE pem::text LIKE '%PRIVATE%'")) {
      rs.next();
      assertThat(rs.getInt(1)).as("no key in the database").isZero();
    }
    // a second replica without the key is refused; with it, it adopts the same CA
    try (PostgresStore b = open(dir.resolve("b"))) {
      assertThat(b.documents().layout().complete()).isFalse();
      assertThatThrownBy(() -> CaLifecycle.initializeOrAdopt(b, SETTINGS, Clock.systemUTC()))
          .isInstanceOf(StartupException.class)
          .hasMessageContaining("partial state");
      Files.copy(key, dir.resolve("b/ca_key.pem"));
      Issuer adopted = CaLifecycle.initializeOrAdopt(b, SETTINGS, Clock.systemUTC());
      assertThat(adopted.certificate()).isEqualTo(issuer.certificate());
    }
    // a replica whose key is another CA's is refused with one line
    try (PostgresStore c = open(dir.resolve("c"))) {
      Files.writeString(dir.resolve("c/ca_key.pem"), Pem.encode(TestPki.freshEcKey().getPrivate()));
      assertThatThrownBy(() -> CaLifecycle.initializeOrAdopt(c, SETTINGS, Clock.systemUTC()))
          .isInstanceOf(StartupException.class)
          .hasMessageContaining("does not match");
    }
  }

  @Test
  void anotherReplicasCrlChangeIsToldByNotify() throws Exception {
    try (PostgresStore b = open(dir.resolve("listen-b"))) {
      java.util.concurrent.CountDownLatch told = new java.util.concurrent.CountDownLatch(1);
      b.onChange(told::countDown);
      byte[] crl = a.documents().crlChain().bytes();
      long deadline = System.nanoTime() + 5_000_000_000L;
      // the listener connects in the background: write until it has heard one
      while (told.getCount() > 0 && System.nanoTime() < deadline) {
        a.documents().replaceCrlChain(crl);
        told.await(200, java.util.concurrent.TimeUnit.MILLISECONDS);
      }
      assertThat(told.getCount()).as("B heard A's CRL change").isZero();
    }
  }

  @Test
  void serialsNeverRepeatAcrossReplicas() throws Exception {
    Set<BigInteger> seen = ConcurrentHashMap.newKeySet();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try (PostgresStore b = open(dir.resolve("serials-b"))) {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        PostgresStore s = t % 2 == 0 ? a : b;
        fs.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 100; i++) {
                    assertThat(seen.add(s.records().allocateSerial())).isTrue();
                  }
                }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    assertThat(seen).hasSize(800);
  }

  @Test
  void aCertificateAndItsInventoryRowAreOneRecord() {
    KeyPair key = TestPki.ecKey();
    X509Certificate first =
        TestPki.issue(issuer, "node.pg.test", key, a.records().allocateSerial(), false);
    a.records().saveCertificate("node.pg.test", first, pem(first));
    X509Certificate second =
        TestPki.issue(issuer, "node.pg.test", key, a.records().allocateSerial(), false);
    a.records().saveCertificate("node.pg.test", second, pem(second));

    assertThat(a.records().certificate("node.pg.test").orElseThrow().bytes())
        .isEqualTo(pem(second));
    CertificateRecord r = a.records().certificateRecord("node.pg.test").orElseThrow();
    assertThat(r.serial()).isEqualTo(second.getSerialNumber());
    assertThat(a.records().liveSerials("node.pg.test", Instant.now()))
        .containsExactly(first.getSerialNumber(), second.getSerialNumber());
    assertThat(a.records().issued(first.getSerialNumber())).isTrue();
    assertThat(a.records().inventoryNotAfter()).containsKey(second.getSerialNumber());
    List<String> names = new ArrayList<>();
    a.records().eachCertificate(n -> n.endsWith(".pg.test"), rec -> names.add(rec.name()));
    assertThat(names).contains("node.pg.test").doesNotContain("pg.test-other");
    // the same serial twice is refused by the database, and nothing of it is written
    assertThatThrownBy(() -> a.records().saveCertificate("copy.pg.test", second, pem(second)))
        .isInstanceOf(StoreUnavailable.class);
    assertThat(a.records().certificate("copy.pg.test")).isEmpty();

    assertThat(a.records().deleteCertificate("node.pg.test")).isTrue();
    assertThat(a.records().certificate("node.pg.test")).isEmpty();
    assertThat(a.records().liveSerials("node.pg.test", Instant.now())).hasSize(2);
  }

  @Test
  void csrsAndTheBundleBackup() {
    a.records().saveCsr("csr.pg.test", "PEM".getBytes(StandardCharsets.US_ASCII));
    assertThat(a.records().csrNames()).contains("csr.pg.test");
    assertThat(a.records().csr("csr.pg.test").orElseThrow().text()).isEqualTo("PEM");
    assertThat(a.records().deleteCsr("csr.pg.test")).isTrue();
    assertThat(a.records().deleteCsr("csr.pg.test")).isFalse();

    byte[] before = a.documents().caBundle().bytes();
    Instant modified = a.documents().caBundleModified();
    a.documents().replaceCaBundle(before, "20261130");
    assertThat(a.documents().caBundleModified()).isAfterOrEqualTo(modified);
    try (var c = db.connect();
        var rs =
            c.createStatement()
                .executeQuery("SELECT pem FROM ca_documents WHERE name = 'ca_crt.20261130'")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getBytes(1)).isEqualTo(before);
    } catch (java.sql.SQLException e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] pem(X509Certificate c) {
    return Pem.encode(c).getBytes(StandardCharsets.US_ASCII);
  }
}
