package org.voxca.store.puppetdir;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.voxca.files.AtomicFiles;
import org.voxca.store.CaRecords;
import org.voxca.store.CertificateRecord;
import org.voxca.store.StoredFile;

/**
 * The CA's records as Puppet keeps them: {@code requests/<name>.pem}, {@code signed/<name>.pem}
 * (indexed in memory for listings), {@code inventory.txt}, {@code serial}, {@code
 * infra_inventory.txt}.
 */
final class DirRecords implements CaRecords {
  private final CaPaths paths;
  private final Serials serials;
  private final Inventory inventory;
  private final SignedIndex signedIndex;
  private final SignedFiles signed;

  DirRecords(
      CaPaths paths,
      Serials serials,
      Inventory inventory,
      SignedIndex signedIndex,
      SignedFiles signed) {
    this.paths = paths;
    this.serials = serials;
    this.inventory = inventory;
    this.signedIndex = signedIndex;
    this.signed = signed;
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
  public boolean issued(BigInteger serial) {
    return inventory.contains(serial);
  }

  @Override
  public Map<BigInteger, Instant> inventoryNotAfter() {
    return inventory.notAfter();
  }

  @Override
  public Set<String> infraNodes() {
    return DirFiles.lines(paths.infraInventory());
  }
}
