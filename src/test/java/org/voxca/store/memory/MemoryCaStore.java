package org.voxca.store.memory;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.voxca.store.CaDocuments;
import org.voxca.store.CaMaterial;
import org.voxca.store.CaRecords;
import org.voxca.store.CaStore;
import org.voxca.store.CertificateRecord;
import org.voxca.store.CheckReport;
import org.voxca.store.Checkable;
import org.voxca.store.Layout;
import org.voxca.store.StoredFile;

/**
 * A {@link CaStore} in memory, for unit tests of the CA rules: same contract as the Puppet
 * directory (serials never reused, an inventory of every issued certificate, atomic replaces), no
 * files. Every write moves a logical clock, so modification times always advance.
 */
public final class MemoryCaStore implements CaStore, CaDocuments, CaRecords, Checkable {
  private CaMaterial material;
  private StoredFile bundle;
  private StoredFile crl;
  private StoredFile infraCrl;
  private final MemoryEnrolment enrolment = new MemoryEnrolment();
  private final TreeMap<String, StoredFile> csrs = new TreeMap<>();
  private final TreeMap<String, StoredFile> certs = new TreeMap<>();
  private final TreeMap<String, CertificateRecord> records = new TreeMap<>();

  /** Every issued certificate: serial → (name, notAfter), as inventory.txt holds them. */
  private final Map<BigInteger, Map.Entry<String, Instant>> inventory = new LinkedHashMap<>();

  private final Set<String> infraNodes = new HashSet<>();
  private final Set<BigInteger> issuedSerials = new HashSet<>();
  private BigInteger nextSerial;
  private long tick = 1_000_000;

  /** Names an infrastructure node (infra_inventory.txt). */
  public synchronized void addInfraNode(String name) {
    infraNodes.add(name);
  }

  /** The inventory: every serial ever issued, with its name. */
  public synchronized Map<BigInteger, String> inventory() {
    Map<BigInteger, String> out = new LinkedHashMap<>();
    inventory.forEach((s, e) -> out.put(s, e.getKey()));
    return out;
  }

  private StoredFile file(byte[] bytes) {
    tick += 1000;
    return new StoredFile(bytes, Instant.ofEpochMilli(tick));
  }

  private StoredFile file(String text) {
    return file(text.getBytes(StandardCharsets.US_ASCII));
  }

  @Override
  public CaDocuments documents() {
    return this;
  }

  @Override
  public org.voxca.store.EnrolmentRecords enrolment() {
    return enrolment;
  }

  @Override
  public CaRecords records() {
    return this;
  }

  @Override
  public synchronized Layout layout() {
    return material == null
        ? new Layout(List.of(), List.of("ca_crt.pem", "ca_key.pem", "ca_crl.pem"))
        : new Layout(List.of("ca_crt.pem", "ca_key.pem", "ca_crl.pem"), List.of());
  }

  @Override
  public synchronized CaMaterial readCa() {
    return material;
  }

  @Override
  public synchronized void initializeCa(CaMaterial m, X509Certificate caCert, BigInteger next) {
    material = m;
    bundle = file(m.certBundlePem());
    crl = file(m.crlChainPem());
    nextSerial = next;
    if (caCert != null) {
      inventory.put(caCert.getSerialNumber(), Map.entry("ca", caCert.getNotAfter().toInstant()));
      issuedSerials.add(caCert.getSerialNumber());
    }
  }

  @Override
  public synchronized StoredFile caBundle() {
    return bundle;
  }

  @Override
  public synchronized StoredFile crlChain() {
    return crl;
  }

  @Override
  public synchronized Instant caBundleModified() {
    return bundle.modified();
  }

  @Override
  public synchronized Instant crlChainModified() {
    return crl.modified();
  }

  @Override
  public synchronized Optional<StoredFile> infraCrlChain() {
    return Optional.ofNullable(infraCrl);
  }

  @Override
  public synchronized void replaceInfraCrlChain(byte[] pem) {
    infraCrl = file(pem);
  }

  private String rootKey;
  private org.voxca.store.NextGeneration next;
  private Instant nextModified = Instant.EPOCH;

  @Override
  public void rewriteKeys(org.voxca.store.KeyProtection next) {
    // memory holds keys only in the clear, as the CA reads them: nothing is at rest here
  }

  @Override
  public synchronized java.util.List<String> replaceKeys(String caKey, String root) {
    material =
        new CaMaterial(
            material.certBundlePem(), caKey, material.publicKeyPem(), material.crlChainPem());
    if (root != null) {
      rootKey = root;
    }
    return java.util.List.of("memory");
  }

  @Override
  public synchronized void saveRootKey(String pem) {
    rootKey = pem;
  }

  @Override
  public synchronized Optional<org.voxca.store.NextGeneration> nextGeneration() {
    return Optional.ofNullable(next);
  }

  @Override
  public synchronized java.util.List<String> promoteNextGeneration(
      CaMaterial promoted, String infraCrlChainPem, String retiredCaPem) {
    if (retiredCaPem != null) {
      retired = retiredCaPem;
    }
    material = promoted;
    if (next != null && next.rootKeyPem() != null) {
      rootKey = next.rootKeyPem();
    }
    crl = file(promoted.crlChainPem());
    if (infraCrlChainPem != null) {
      infraCrl = file(infraCrlChainPem);
    }
    bundle = file(promoted.certBundlePem());
    return java.util.List.of();
  }

  private String retired;

  @Override
  public synchronized Optional<String> retiredCa() {
    return Optional.ofNullable(retired);
  }

  @Override
  public synchronized Instant nextGenerationModified() {
    return next == null ? Instant.EPOCH : nextModified;
  }

  @Override
  public synchronized void saveNextGeneration(org.voxca.store.NextGeneration n) {
    next = n;
    nextModified = Instant.now();
  }

  @Override
  public synchronized java.util.List<String> dropNextGeneration() {
    next = null;
    return java.util.List.of();
  }

  @Override
  public synchronized Optional<String> rootKey() {
    return Optional.ofNullable(rootKey);
  }

  @Override
  public synchronized void replaceCaBundle(byte[] pem, String backupSuffix) {
    bundle = file(pem);
  }

  @Override
  public synchronized void replaceCrlChain(byte[] pem) {
    crl = file(pem);
  }

  @Override
  public synchronized Optional<StoredFile> certificate(String name) {
    return Optional.ofNullable(certs.get(name));
  }

  @Override
  public synchronized Optional<StoredFile> csr(String name) {
    return Optional.ofNullable(csrs.get(name));
  }

  @Override
  public synchronized void saveCsr(String name, byte[] pem) {
    csrs.put(name, file(pem));
  }

  @Override
  public synchronized boolean deleteCsr(String name) {
    return csrs.remove(name) != null;
  }

  @Override
  public synchronized List<String> csrNames() {
    return new ArrayList<>(csrs.keySet());
  }

  @Override
  public void eachCertificate(Predicate<String> name, Consumer<CertificateRecord> sink) {
    List<CertificateRecord> copy;
    synchronized (this) {
      copy = new ArrayList<>(records.values());
    }
    copy.stream().filter(r -> name.test(r.name())).forEach(sink);
  }

  @Override
  public synchronized Optional<CertificateRecord> certificateRecord(String name) {
    return Optional.ofNullable(records.get(name));
  }

  @Override
  public synchronized boolean deleteCertificate(String name) {
    records.remove(name);
    return certs.remove(name) != null;
  }

  @Override
  public synchronized BigInteger allocateSerial() {
    BigInteger s = nextSerial;
    nextSerial = nextSerial.add(BigInteger.ONE);
    if (!issuedSerials.add(s)) {
      throw new IllegalStateException("serial " + s + " allocated twice");
    }
    return s;
  }

  @Override
  public synchronized void recordIssued(X509Certificate cert) {
    String cn = cert.getSubjectX500Principal().getName().replaceFirst("^CN=", "");
    inventory.put(cert.getSerialNumber(), Map.entry(cn, cert.getNotAfter().toInstant()));
  }

  @Override
  public synchronized void saveCertificate(String name, X509Certificate cert, byte[] pem) {
    inventory.put(cert.getSerialNumber(), Map.entry(name, cert.getNotAfter().toInstant()));
    certs.put(name, file(pem));
    records.put(name, CertificateRecord.of(name, cert));
  }

  @Override
  public synchronized Set<BigInteger> liveSerials(String name, Instant now) {
    Set<BigInteger> out = new HashSet<>();
    inventory.forEach(
        (s, e) -> {
          if (e.getKey().equals(name) && e.getValue().isAfter(now)) {
            out.add(s);
          }
        });
    return out;
  }

  @Override
  public synchronized boolean issued(BigInteger serial) {
    return inventory.containsKey(serial);
  }

  @Override
  public synchronized Map<BigInteger, Instant> inventoryNotAfter() {
    Map<BigInteger, Instant> out = new HashMap<>();
    inventory.forEach((s, e) -> out.put(s, e.getValue()));
    return out;
  }

  @Override
  public synchronized Set<String> infraNodes() {
    return Set.copyOf(infraNodes);
  }

  @Override
  public List<String> prepare() {
    return List.of();
  }

  /** Every certificate's serial is in the inventory (nothing else can disagree in memory). */
  @Override
  public synchronized CheckReport check(boolean repair) {
    java.util.List<String> problems = new java.util.ArrayList<>();
    records.forEach(
        (name, r) -> {
          if (!inventory.containsKey(r.serial())) {
            problems.add("the certificate of " + name + " is not in the inventory");
          }
        });
    return new CheckReport(problems, java.util.List.of());
  }

  @Override
  public String location() {
    return "memory";
  }

  @Override
  public void probe() {}

  @Override
  public void close() {}
}
