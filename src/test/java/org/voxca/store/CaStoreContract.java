package org.voxca.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.voxca.ca.CaLifecycle;
import org.voxca.ca.CaSettings;
import org.voxca.pki.Issuer;
import org.voxca.pki.Pem;
import org.voxca.testing.TestPki;

/**
 * The contract every {@link CaStore} keeps, run unchanged against each store (in memory, the Puppet
 * CA directory, PostgreSQL): a CA written once and read back byte for byte, serials never given
 * twice, a certificate issued from a CSR all at once, listings in name order, CA documents replaced
 * whole, locks that release, and a failure that changes nothing. A new store passes this suite or
 * is not a store.
 */
public abstract class CaStoreContract implements EnrolmentContract {
  /** An EC CA: key generation stays cheap on two cores. */
  protected static final CaSettings SETTINGS = CaStoreFixtures.ecSettings("contract.test");

  private static final KeyPair AGENT_KEY = TestPki.ecKey();

  protected CaStore store;
  protected Issuer issuer;

  /** A fresh, empty store of the kind under test. */
  protected abstract CaStore openEmpty() throws Exception;

  /**
   * A second handle on the storage {@code first} uses, as another process would open it: refused
   * with {@link CaInUse} while the first is open when the store is one process's, or a replica.
   * Null when the store has no storage outside its process (memory).
   */
  protected CaStore openSecond(CaStore first) throws Exception {
    return null;
  }

  /** Makes the store's storage refuse to answer; false when it cannot fail (memory). */
  protected boolean breakStorage() throws Exception {
    return false;
  }

  /** Ends what {@link #breakStorage()} began. */
  protected void repairStorage() throws Exception {}

  @Override
  public CaStore storeUnderTest() {
    return store;
  }

  @Override
  public CaStore replicaOrNull() throws Exception {
    if (!(store instanceof Replicated)) {
      return null;
    }
    return openSecond(store);
  }

  @BeforeEach
  void openStore() throws Exception {
    store = openEmpty();
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  private Issuer ca() {
    if (issuer == null) {
      issuer = CaLifecycle.initializeOrAdopt(store, SETTINGS, Clock.systemUTC());
    }
    return issuer;
  }

  private X509Certificate cert(String name, BigInteger serial, Instant notAfter) {
    return CaStoreFixtures.leaf(ca(), name, AGENT_KEY, serial, notAfter);
  }

  private X509Certificate issue(String name) {
    X509Certificate c =
        cert(name, store.records().allocateSerial(), Instant.now().plus(Duration.ofDays(30)));
    store.records().saveCertificate(name, c, bytes(Pem.encode(c)));
    return c;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void anEmptyStoreHoldsNoCaAndAWrittenCaReadsBackByteForByte() {
    assertThat(store.documents().layout().empty()).isTrue();
    assertThat(store.documents().layout().complete()).isFalse();
    Issuer i = ca();
    assertThat(store.documents().layout().complete()).isTrue();
    CaMaterial m = store.documents().readCa();
    assertThat(m.certBundlePem()).contains("BEGIN CERTIFICATE");
    assertThat(new String(store.documents().caBundle().bytes(), StandardCharsets.US_ASCII))
        .isEqualTo(m.certBundlePem());
    assertThat(new String(store.documents().crlChain().bytes(), StandardCharsets.US_ASCII))
        .isEqualTo(m.crlChainPem());
    assertThat(store.documents().caBundleModified())
        .isEqualTo(store.documents().caBundle().modified());
    assertThat(store.records().issued(i.certificate().getSerialNumber())).isTrue();
    assertThat(store.records().issued(BigInteger.valueOf(999_999))).isFalse();
  }

  @Test
  void serialsAreNeverGivenTwiceEvenConcurrently() throws Exception {
    BigInteger caSerial = ca().certificate().getSerialNumber();
    Set<BigInteger> seen = ConcurrentHashMap.newKeySet();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        done.add(
            pool.submit(
                () -> {
                  for (int k = 0; k < 40; k++) {
                    assertThat(seen.add(store.records().allocateSerial())).isTrue();
                  }
                }));
      }
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(seen).hasSize(160).doesNotContain(caSerial);
  }

  @Test
  void aCertificateFromACsrReplacesTheCsrAtOnce() {
    ca();
    store.records().saveCsr("agent.test", bytes(TestPki.csr("agent.test").pem()));
    assertThat(store.records().csrNames()).containsExactly("agent.test");
    assertThat(store.records().csr("agent.test")).isPresent();
    X509Certificate c =
        cert(
            "agent.test",
            store.records().allocateSerial(),
            Instant.now().plus(Duration.ofDays(30)));
    store.records().saveCertificateFromCsr("agent.test", c, bytes(Pem.encode(c)));
    assertThat(store.records().csr("agent.test")).isEmpty();
    assertThat(store.records().csrNames()).isEmpty();
    assertThat(new String(store.records().certificate("agent.test").orElseThrow().bytes()))
        .isEqualTo(Pem.encode(c));
    CertificateRecord r = store.records().certificateRecord("agent.test").orElseThrow();
    assertThat(r.serial()).isEqualTo(c.getSerialNumber());
    assertThat(store.records().issued(c.getSerialNumber())).isTrue();
    assertThat(store.records().liveSerials("agent.test", Instant.now()))
        .containsExactly(c.getSerialNumber());
    assertThat(store.records().inventoryNotAfter())
        .containsEntry(c.getSerialNumber(), c.getNotAfter().toInstant());
  }

  @Test
  void listingsAreInNameOrderAndFiltered() {
    ca();
    for (String n : List.of("c.test", "a.test", "b.other", "d.test")) {
      issue(n);
    }
    List<String> all = new ArrayList<>();
    store.records().eachCertificate(n -> true, r -> all.add(r.name()));
    assertThat(all).containsExactly("a.test", "b.other", "c.test", "d.test");
    List<String> some = new ArrayList<>();
    store.records().eachCertificate(n -> n.endsWith(".test"), r -> some.add(r.name()));
    assertThat(some).containsExactly("a.test", "c.test", "d.test");
  }

  @Test
  void deletesSayWhetherThereWasSomethingAndTheInventoryKeepsTheSerial() {
    ca();
    X509Certificate c = issue("gone.test");
    store.records().saveCsr("pending.test", bytes(TestPki.csr("pending.test").pem()));
    assertThat(store.records().deleteCertificate("gone.test")).isTrue();
    assertThat(store.records().deleteCertificate("gone.test")).isFalse();
    assertThat(store.records().deleteCsr("pending.test")).isTrue();
    assertThat(store.records().deleteCsr("pending.test")).isFalse();
    assertThat(store.records().certificate("gone.test")).isEmpty();
    assertThat(store.records().certificateRecord("gone.test")).isEmpty();
    assertThat(store.records().issued(c.getSerialNumber())).isTrue();
  }

  @Test
  void aSupersededOrSideCertificateStaysLiveUntilItExpires() {
    ca();
    Instant now = Instant.now();
    X509Certificate old =
        cert("twice.test", store.records().allocateSerial(), now.plus(Duration.ofDays(2)));
    store.records().saveCertificate("twice.test", old, bytes(Pem.encode(old)));
    X509Certificate side =
        cert("twice.test", store.records().allocateSerial(), now.plus(Duration.ofDays(9)));
    store.records().recordIssued(side);
    assertThat(store.records().certificateRecord("twice.test").orElseThrow().serial())
        .isEqualTo(old.getSerialNumber());
    assertThat(store.records().liveSerials("twice.test", now))
        .containsExactlyInAnyOrder(old.getSerialNumber(), side.getSerialNumber());
    assertThat(store.records().liveSerials("twice.test", now.plus(Duration.ofDays(5))))
        .containsExactly(side.getSerialNumber());
    assertThat(store.records().liveSerials("other.test", now)).isEmpty();
  }

  @Test
  void caDocumentsAreReplacedWhole() {
    ca();
    byte[] crl = store.documents().crlChain().bytes();
    Instant before = store.documents().crlChainModified();
    byte[] next = (new String(crl, StandardCharsets.US_ASCII) + "\n").getBytes();
    store.documents().replaceCrlChain(next);
    assertThat(store.documents().crlChain().bytes()).isEqualTo(next);
    assertThat(store.documents().crlChainModified()).isAfterOrEqualTo(before);
    store.documents().replaceInfraCrlChain(crl);
    assertThat(store.documents().infraCrlChain().orElseThrow().bytes()).isEqualTo(crl);
    byte[] bundle = store.documents().caBundle().bytes();
    store.documents().replaceCaBundle(bundle, "contract-backup");
    assertThat(store.documents().caBundle().bytes()).isEqualTo(bundle);
    assertThat(store.documents().rootKey()).isEmpty();
  }

  @Test
  void aRolloversNextGenerationIsCommittedByItsStageAndForgottenWhole() throws Exception {
    ca();
    assertThat(store.documents().nextGeneration()).isEmpty();
    java.security.KeyPair key = org.voxca.pki.Keys.ec("secp256r1");
    X509Certificate cert =
        org.voxca.pki.CertBuilder.selfSignedCa(
            "Contract CA G2",
            key,
            BigInteger.TEN,
            Instant.now().minus(Duration.ofDays(1)),
            Instant.now().plus(Duration.ofDays(30)));
    Instant since = Instant.parse("2026-12-03T08:00:00Z");
    NextGeneration next =
        new NextGeneration(
            Pem.encode(cert), Pem.encode(key.getPrivate()), since, NextGeneration.Stage.PREPARED);
    store.documents().saveNextGeneration(next);
    assertThat(store.documents().nextGeneration()).contains(next);
    CaStore replica = replicaOrNull();
    if (replica != null) {
      try (replica) {
        assertThat(replica.documents().nextGeneration().map(NextGeneration::stage))
            .contains(NextGeneration.Stage.PREPARED);
      }
    }
    store.documents().saveNextGeneration(next.at(NextGeneration.Stage.ABORTING));
    assertThat(store.documents().nextGeneration().orElseThrow().stage())
        .isEqualTo(NextGeneration.Stage.ABORTING);
    assertThat(store.documents().nextGeneration().orElseThrow().keyPem()).isEqualTo(next.keyPem());
    assertThat(store.documents().dropNextGeneration()).noneMatch(w -> w.contains("PRIVATE KEY"));
    assertThat(store.documents().nextGeneration()).isEmpty();
    assertThat(store.documents().layout().complete()).isTrue();
  }

  @Test
  void aFinishPromotesTheNextGenerationAndItsRootOnceWhateverTimesItRuns() throws Exception {
    Issuer current = ca();
    java.security.KeyPair rootKey = org.voxca.pki.Keys.ec("secp256r1");
    store.documents().saveRootKey(Pem.encode(rootKey.getPrivate()));
    java.security.KeyPair nextRoot = org.voxca.pki.Keys.ec("secp256r1");
    java.security.KeyPair nextKey = org.voxca.pki.Keys.ec("secp256r1");
    Instant now = Instant.now();
    X509Certificate rootCert =
        org.voxca.pki.CertBuilder.selfSignedCa(
            "Contract Root G2",
            nextRoot,
            BigInteger.valueOf(11),
            now.minus(Duration.ofDays(1)),
            now.plus(Duration.ofDays(30)));
    X509Certificate cert =
        org.voxca.pki.CertBuilder.intermediateCa(
            new Issuer(rootCert, nextRoot.getPrivate(), List.of(rootCert)),
            "Contract CA G2",
            nextKey,
            BigInteger.valueOf(12),
            now.minus(Duration.ofDays(1)),
            now.plus(Duration.ofDays(30)));
    NextGeneration next =
        new NextGeneration(
            Pem.encode(cert, rootCert),
            Pem.encode(nextKey.getPrivate()),
            now,
            NextGeneration.Stage.FINISHING,
            Pem.encode(nextRoot.getPrivate()));
    store.documents().saveNextGeneration(next);
    assertThat(store.documents().nextGeneration()).contains(next);
    assertThat(next.toString()).doesNotContain("PRIVATE KEY");
    String crl = store.documents().crlChain().text();
    CaMaterial promoted =
        new CaMaterial(
            Pem.encode(cert, rootCert), next.keyPem(), Pem.encode(nextKey.getPublic()), crl);
    String retired = Pem.encode(current.certificate());
    for (int run = 0; run < 2; run++) { // a finish cut short runs again
      store.documents().promoteNextGeneration(promoted, null, retired);
      CaMaterial after = store.documents().readCa();
      assertThat(after.privateKeyPem()).isEqualTo(next.keyPem());
      assertThat(after.publicKeyPem()).isEqualTo(promoted.publicKeyPem());
      assertThat(store.documents().caBundle().text()).isEqualTo(promoted.certBundlePem());
      assertThat(store.documents().rootKey()).contains(next.rootKeyPem());
      assertThat(store.documents().retiredCa()).contains(retired);
    }
    store.documents().dropNextGeneration();
    assertThat(store.documents().nextGeneration()).isEmpty();
    assertThat(store.documents().rootKey()).contains(next.rootKeyPem());
    assertThat(store.documents().readCa().privateKeyPem()).isEqualTo(next.keyPem());
  }

  @Test
  void nameLocksAndTheCaWideLockRelease() throws Exception {
    ca();
    Replicated replicas = StoreCapabilities.of(store).replicated();
    Replicated.Held first = replicas.lockName("locked.test");
    CompletableFuture<Void> second =
        CompletableFuture.runAsync(() -> replicas.lockName("locked.test").close());
    if (replicas != Replicated.SINGLE_PROCESS) {
      Thread.sleep(300);
      assertThat(second).as("a name held is not given twice").isNotDone();
    }
    first.close();
    second.get(10, TimeUnit.SECONDS);
    try (Replicated.Held again = replicas.lockName("locked.test");
        Replicated.Held all = replicas.exclusive()) {
      assertThat(again).isNotNull();
      assertThat(all).isNotNull();
    }
    try (Replicated.Held all = replicas.exclusive()) {
      assertThat(all).as("the CA-wide lock was released").isNotNull();
    }
  }

  @Test
  void aSecondProcessIsRefusedOrSharesAndClosingReleases() throws Exception {
    ca();
    issue("shared.test");
    CaStore second;
    try {
      second = openSecond(store);
    } catch (CaInUse inUse) {
      assertThat(inUse.getMessage()).contains("in use");
      store.close();
      second = openSecond(store);
      store = null;
    }
    assumeTrue(second != null, "this store has no storage outside its process");
    try (CaStore s = second) {
      StoreCapabilities.of(s).indexed().startIndexing().get(30, TimeUnit.SECONDS);
      assertThat(s.records().certificateRecord("shared.test")).isPresent();
      assertThat(s.documents().layout().complete()).isTrue();
    }
  }

  @Test
  void aStoreThatCannotAnswerFailsAndChangesNothing() throws Exception {
    ca();
    store.probe();
    assumeTrue(breakStorage(), "this store cannot fail");
    try {
      assertThatThrownBy(
              () -> store.records().saveCsr("lost.test", bytes(TestPki.csr("lost.test").pem())))
          .isInstanceOf(java.io.UncheckedIOException.class);
    } finally {
      repairStorage();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      try {
        store.probe();
        break;
      } catch (RuntimeException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(200);
      }
    }
    assertThat(store.records().csr("lost.test")).isEmpty();
    assertThat(new HashSet<>(store.records().csrNames())).doesNotContain("lost.test");
  }

  @Test
  void aFreshCaChecksClean() {
    ca();
    issue("checked.test");
    StoreCapabilities can = StoreCapabilities.of(store);
    can.indexed().startIndexing().join();
    assertThat(can.checkable().check(false).problems()).isEmpty();
  }
}
