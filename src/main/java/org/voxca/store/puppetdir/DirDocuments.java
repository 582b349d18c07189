package org.voxca.store.puppetdir;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voxca.files.AtomicFiles;
import org.voxca.store.CaDocuments;
import org.voxca.store.CaMaterial;
import org.voxca.store.KeyProtection;
import org.voxca.store.Layout;
import org.voxca.store.StoredFile;

/** The CA's documents as Puppet keeps them in the CA directory: one file each, replaced whole. */
final class DirDocuments implements CaDocuments {
  private static final Logger LOG = LoggerFactory.getLogger(DirDocuments.class);
  private final CaPaths paths;
  private final Serials serials;
  private final Inventory inventory;
  private final KeyProtection keys;
  private final DirRollover rollover;

  DirDocuments(CaPaths paths, Serials serials, Inventory inventory, KeyProtection keys) {
    this.rollover = new DirRollover(paths, keys);
    this.paths = paths;
    this.serials = serials;
    this.inventory = inventory;
    this.keys = keys;
  }

  @Override
  public Layout layout() {
    return DirFiles.layout(paths);
  }

  @Override
  public CaMaterial readCa() {
    CaMaterial m = DirFiles.material(paths);
    String plain = keys.open(m.privateKeyPem(), paths.cakey().toString());
    if (keys.needsSealing(m.privateKeyPem())) {
      AtomicFiles.write(paths.cakey(), DirFiles.utf8(keys.seal(plain)), AtomicFiles.PRIVATE);
      LOG.warn(
          "Encrypted {} with the configured passphrase: Puppet Server can no longer read it"
              + " (voxca ca key --decrypt writes it plain again)",
          paths.cakey());
    }
    return new CaMaterial(m.certBundlePem(), plain, m.publicKeyPem(), m.crlChainPem());
  }

  @Override
  public void initializeCa(CaMaterial m, X509Certificate caCert, BigInteger nextSerial) {
    AtomicFiles.directory(paths.csrdir(), "rwxr-xr-x");
    AtomicFiles.directory(paths.signeddir(), "rwxr-xr-x");
    AtomicFiles.write(
        paths.cakey(), DirFiles.utf8(keys.seal(m.privateKeyPem())), AtomicFiles.PRIVATE);
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

  @Override
  public void saveRootKey(String pem) {
    AtomicFiles.directory(paths.cadir(), "rwxr-xr-x");
    AtomicFiles.write(paths.rootKey(), DirFiles.utf8(keys.seal(pem)), AtomicFiles.PRIVATE);
  }

  @Override
  public void rewriteKeys(KeyProtection next) {
    String ca = readCa().privateKeyPem();
    Optional<String> root = rootKey();
    AtomicFiles.write(paths.cakey(), DirFiles.utf8(next.seal(ca)), AtomicFiles.PRIVATE);
    root.ifPresent(
        r -> AtomicFiles.write(paths.rootKey(), DirFiles.utf8(next.seal(r)), AtomicFiles.PRIVATE));
    rollover.rewriteKey(next);
  }

  @Override
  public java.util.List<String> replaceKeys(String caKey, String rootKey) {
    java.util.List<String> old = new java.util.ArrayList<>();
    old.add(DirFiles.linkAside(paths.cakey(), ".imported").toString());
    AtomicFiles.write(paths.cakey(), DirFiles.utf8(caKey), AtomicFiles.PRIVATE);
    if (rootKey != null) {
      old.add(DirFiles.linkAside(paths.rootKey(), ".imported").toString());
      AtomicFiles.write(paths.rootKey(), DirFiles.utf8(rootKey), AtomicFiles.PRIVATE);
    }
    return old;
  }

  @Override
  public Optional<String> rootKey() {
    return DirFiles.stored(paths.rootKey())
        .map(StoredFile::text)
        .map(pem -> keys.open(pem, paths.rootKey().toString()));
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
  public Optional<org.voxca.store.NextGeneration> nextGeneration() {
    return rollover.read();
  }

  @Override
  public java.util.List<String> promoteNextGeneration(
      CaMaterial next, String infraCrlChainPem, String retiredCaPem) {
    java.util.List<String> left = new java.util.ArrayList<>();
    if (retiredCaPem != null) {
      AtomicFiles.directory(paths.rolloverDir(), "rwxr-x---");
      AtomicFiles.write(
          paths.rolloverDir().resolve("retired_crt.pem"),
          DirFiles.utf8(retiredCaPem),
          AtomicFiles.PUBLIC);
    }
    String current = keys.open(DirFiles.read(paths.cakey()), paths.cakey().toString());
    retire(paths.cakey(), current, next.privateKeyPem(), "retired_ca_key.pem", left);
    Optional<String> nextRoot = rollover.rootKey();
    Optional<String> root = rootKey();
    if (nextRoot.isPresent() && root.isPresent()) {
      retire(paths.rootKey(), root.get(), nextRoot.get(), "retired_root_key.pem", left);
    }
    AtomicFiles.write(paths.capub(), DirFiles.utf8(next.publicKeyPem()), AtomicFiles.PUBLIC);
    AtomicFiles.write(paths.cacrl(), DirFiles.utf8(next.crlChainPem()), AtomicFiles.PUBLIC);
    if (infraCrlChainPem != null) {
      AtomicFiles.write(paths.infraCrl(), DirFiles.utf8(infraCrlChainPem), AtomicFiles.PUBLIC);
    }
    AtomicFiles.write(paths.cacert(), DirFiles.utf8(next.certBundlePem()), AtomicFiles.PUBLIC);
    return left;
  }

  /**
   * Unless {@code file} holds {@code next} already (a finish run again): keeps {@code current} in
   * {@code rollover/<retiredName>}, noted in {@code left}, then writes {@code next} over it.
   */
  private void retire(
      Path file, String current, String next, String retiredName, java.util.List<String> left) {
    if (current.equals(next)) {
      return;
    }
    Path retired = paths.rolloverDir().resolve(retiredName);
    AtomicFiles.write(retired, DirFiles.utf8(keys.seal(current)), AtomicFiles.PRIVATE);
    left.add(retired.toString());
    String kept = org.voxca.pki.TokenReference.is(next) ? next : keys.seal(next);
    AtomicFiles.write(file, DirFiles.utf8(kept), AtomicFiles.PRIVATE);
  }

  @Override
  public Optional<String> retiredCa() {
    return DirFiles.stored(paths.rolloverDir().resolve("retired_crt.pem")).map(StoredFile::text);
  }

  @Override
  public Instant nextGenerationModified() {
    return DirFiles.mtime(paths.rolloverStage()); // EPOCH when there is none
  }

  @Override
  public void saveNextGeneration(org.voxca.store.NextGeneration next) {
    rollover.save(next);
  }

  @Override
  public java.util.List<String> dropNextGeneration() {
    return rollover.drop();
  }
}
