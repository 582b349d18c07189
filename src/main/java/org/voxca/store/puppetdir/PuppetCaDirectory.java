package org.voxca.store.puppetdir;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.voxca.files.AtomicFiles;
import org.voxca.store.CaMaterial;
import org.voxca.store.CaStore;
import org.voxca.store.CertificateRecord;
import org.voxca.store.CheckReport;
import org.voxca.store.Checkable;
import org.voxca.store.Indexed;
import org.voxca.store.StoreContent;
import org.voxca.store.StoredFile;
import org.voxca.store.Transferable;

/**
 * The Puppet-compatible CA directory (spec §6): the same files, names and formats Puppet Server
 * reads and writes, so a CA can move between Puppet Server and voxca. Every replacement is atomic
 * ({@link AtomicFiles}); serial allocation and inventory appends are serialised in-process, and
 * {@link DirLock} keeps other processes out.
 */
public final class PuppetCaDirectory implements CaStore, Indexed, Checkable, Transferable {
  private final CaPaths paths;
  private final Serials serials;
  private final Inventory inventory;
  private final DirLock dirLock;
  private final SignedIndex signedIndex;
  private final SignedFiles signed;

  /** Opens the directory and takes its cross-process lock; serials are sequential. */
  public PuppetCaDirectory(CaPaths paths) {
    this(paths, false);
  }

  /**
   * Opens the directory and takes its cross-process lock; with {@code randomSerials} every new
   * serial is a random positive 128-bit number, checked against every serial the inventory holds.
   */
  public PuppetCaDirectory(CaPaths paths, boolean randomSerials) {
    this.paths = paths;
    AtomicFiles.directory(paths.cadir(), "rwxr-xr-x");
    this.dirLock = DirLock.acquire(paths.cadir());
    this.signedIndex = new SignedIndex(paths.signeddir());
    this.signed = new SignedFiles(paths.signeddir(), signedIndex);
    this.inventory = new Inventory(paths.inventory(), signedIndex::peek);
    this.serials =
        new Serials(
            new SerialFile(paths.serial()), randomSerials, () -> inventoryNotAfter().keySet());
  }

  /**
   * Builds the in-memory indexes in the background (the server calls this once it is up): the
   * records of {@code signed/} for listings, and the inventory by subject for revocations.
   */
  @Override
  public CompletableFuture<Void> startIndexing() {
    return signedIndex.start().thenRun(inventory::load);
  }

  /** Re-reads what changed in {@code signed/} when another tool changed it; called periodically. */
  public void refreshIndexIfChanged() {
    signedIndex.rescanIfChanged();
  }

  @Override
  public void refreshIfChanged() {
    refreshIndexIfChanged();
  }

  /** {@code requests/} and {@code signed/} created, then the quick crash check, repairing. */
  @Override
  public List<String> prepare() {
    ensureDirectories();
    ConsistencyCheck.Report check = ConsistencyCheck.run(paths, true);
    List<String> out = new java.util.ArrayList<>();
    check.problems().forEach(p -> out.add("CA directory check: " + p));
    check.repairs().forEach(r -> out.add("CA directory repaired: " + r));
    return out;
  }

  /** The full check: every signed file read too. */
  @Override
  public CheckReport check(boolean repair) {
    ConsistencyCheck.Report r = ConsistencyCheck.run(paths, repair, true);
    return new CheckReport(r.problems(), r.repairs());
  }

  @Override
  public String location() {
    return paths.cadir().toString();
  }

  @Override
  public String certificateLocation(String name) {
    return DirFiles.entry(paths.signeddir(), name).toString();
  }

  public CaPaths paths() {
    return paths;
  }

  @Override
  public Layout layout() {
    return DirFiles.layout(paths);
  }

  @Override
  public CaMaterial readCa() {
    return DirFiles.material(paths);
  }

  @Override
  public void initializeCa(CaMaterial m, X509Certificate caCert, BigInteger nextSerial) {
    AtomicFiles.directory(paths.csrdir(), "rwxr-xr-x");
    AtomicFiles.directory(paths.signeddir(), "rwxr-xr-x");
    AtomicFiles.write(paths.cakey(), DirFiles.utf8(m.privateKeyPem()), AtomicFiles.PRIVATE);
    AtomicFiles.write(paths.capub(), DirFiles.utf8(m.publicKeyPem()), AtomicFiles.PUBLIC);
    AtomicFiles.write(paths.cacrl(), DirFiles.utf8(m.crlChainPem()), AtomicFiles.PUBLIC);
    AtomicFiles.write(paths.infraCrl(), DirFiles.utf8(m.crlChainPem()), AtomicFiles.PUBLIC);
    if (!Files.exists(paths.infraInventory())) {
      AtomicFiles.write(paths.infraInventory(), new byte[0], AtomicFiles.PUBLIC);
    }
    serials.reset(nextSerial);
    inventory.create(caCert);
    // The certificate last: its presence marks a complete CA for the layout check.
    AtomicFiles.write(paths.cacert(), DirFiles.utf8(m.certBundlePem()), AtomicFiles.PUBLIC);
  }

  /** Creates {@code requests/} and {@code signed/} when an adopted CA lacks them. */
  public void ensureDirectories() {
    AtomicFiles.directory(paths.csrdir(), "rwxr-xr-x");
    AtomicFiles.directory(paths.signeddir(), "rwxr-xr-x");
  }

  @Override
  public StoredFile caBundle() {
    return DirFiles.stored(paths.cacert())
        .orElseThrow(() -> new IllegalStateException("missing " + paths.cacert()));
  }

  @Override
  public StoredFile crlChain() {
    return DirFiles.stored(paths.cacrl())
        .orElseThrow(() -> new IllegalStateException("missing " + paths.cacrl()));
  }

  @Override
  public Instant caBundleModified() {
    return DirFiles.mtime(paths.cacert());
  }

  @Override
  public Instant crlChainModified() {
    return DirFiles.mtime(paths.cacrl());
  }

  @Override
  public Optional<StoredFile> infraCrlChain() {
    return DirFiles.stored(paths.infraCrl());
  }

  @Override
  public void replaceInfraCrlChain(byte[] pem) {
    AtomicFiles.write(paths.infraCrl(), pem, AtomicFiles.PUBLIC);
  }

  @Override
  public void saveRootKey(String pem) {
    AtomicFiles.directory(paths.cadir(), "rwxr-xr-x");
    AtomicFiles.write(paths.rootKey(), DirFiles.utf8(pem), AtomicFiles.PRIVATE);
  }

  @Override
  public Optional<String> rootKey() {
    return DirFiles.stored(paths.rootKey()).map(StoredFile::text);
  }

  @Override
  public void replaceCaBundle(byte[] pem, String backupSuffix) {
    Path backup = paths.cacert().resolveSibling(paths.cacert().getFileName() + "." + backupSuffix);
    AtomicFiles.write(backup, caBundle().bytes(), AtomicFiles.PUBLIC);
    AtomicFiles.write(paths.cacert(), pem, AtomicFiles.PUBLIC);
  }

  @Override
  public void replaceCrlChain(byte[] pem) {
    AtomicFiles.write(paths.cacrl(), pem, AtomicFiles.PUBLIC);
  }

  @Override
  public Optional<StoredFile> certificate(String name) {
    return DirFiles.stored(DirFiles.entry(paths.signeddir(), name));
  }

  @Override
  public Optional<StoredFile> csr(String name) {
    return DirFiles.stored(DirFiles.entry(paths.csrdir(), name));
  }

  @Override
  public void saveCsr(String name, byte[] pem) {
    AtomicFiles.write(DirFiles.entry(paths.csrdir(), name), pem, AtomicFiles.PUBLIC);
  }

  @Override
  public boolean deleteCsr(String name) {
    return DirFiles.deleteSynced(DirFiles.entry(paths.csrdir(), name));
  }

  @Override
  public List<String> csrNames() {
    return DirFiles.pemNames(paths.csrdir());
  }

  @Override
  public void eachCertificate(Predicate<String> name, Consumer<CertificateRecord> sink) {
    signedIndex.each(name, sink);
  }

  @Override
  public Optional<CertificateRecord> certificateRecord(String name) {
    return signed.record(name);
  }

  @Override
  public boolean deleteCertificate(String name) {
    return signed.delete(name);
  }

  @Override
  public BigInteger allocateSerial() {
    return serials.allocate();
  }

  @Override
  public boolean issued(BigInteger serial) {
    return inventory.contains(serial);
  }

  @Override
  public void recordIssued(X509Certificate cert) {
    inventory.append(cert);
  }

  /**
   * The inventory line first, then {@code signed/<name>.pem}: a crash between the two leaves a line
   * for a certificate nobody received (harmless: its serial is simply never used again), never a
   * certificate missing from the inventory, so the start-up check need not read {@code signed/}.
   */
  @Override
  public void saveCertificate(String name, X509Certificate cert, byte[] pem) {
    inventory.append(cert);
    signed.save(name, cert, pem);
  }

  @Override
  public Set<BigInteger> liveSerials(String name, Instant now) {
    return inventory.liveSerials(name, now);
  }

  @Override
  public Map<BigInteger, Instant> inventoryNotAfter() {
    return inventory.notAfter();
  }

  @Override
  public Set<String> infraNodes() {
    return DirFiles.lines(paths.infraInventory());
  }

  /**
   * The CA certificate, key and serial file are readable files, and the CA directory and {@code
   * signed/} and {@code requests/} are writable directories.
   */
  @Override
  public void probe() {
    for (Path f : List.of(paths.cacert(), paths.cakey(), paths.serial())) {
      if (!Files.isRegularFile(f) || !Files.isReadable(f)) {
        throw new IllegalStateException("not a readable file: " + f);
      }
    }
    for (Path d : List.of(paths.cadir(), paths.signeddir(), paths.csrdir())) {
      if (!Files.isDirectory(d) || !Files.isWritable(d)) {
        throw new IllegalStateException("not a writable directory: " + d);
      }
    }
  }

  @Override
  public void close() {
    dirLock.close();
  }

  /** The whole directory, for migrate and export. */
  public StoreContent content() {
    return new DirTransfer(paths);
  }
}
