package org.voxca.store.puppetdir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.voxca.files.AtomicFiles;
import org.voxca.store.CaDocuments;
import org.voxca.store.CaRecords;
import org.voxca.store.CaStore;
import org.voxca.store.CheckReport;
import org.voxca.store.Checkable;
import org.voxca.store.EnrolmentRecords;
import org.voxca.store.Indexed;
import org.voxca.store.KeyProtection;
import org.voxca.store.StoreContent;
import org.voxca.store.Transferable;

/**
 * The Puppet-compatible CA directory: the same files, names and formats Puppet Server reads and
 * writes, so a CA can move between Puppet Server and voxca. Every replacement is atomic ({@link
 * AtomicFiles}); serial allocation and inventory appends are serialised in-process, and {@link
 * DirLock} keeps other processes out.
 */
public final class PuppetCaDirectory implements CaStore, Indexed, Checkable, Transferable {
  private final CaPaths paths;
  private final Serials serials;
  private final Inventory inventory;
  private final DirLock dirLock;

  /**
   * The signed index's snapshot in the cadir: public data, voxca's own, Puppet Server ignores it.
   */
  static final String INDEX_SNAPSHOT = ".voxca-index";

  private final SignedIndex signedIndex;
  private final SignedFiles signed;
  private final DirDocuments documents;
  private final DirRecords records;
  private final DirEnrolment enrolment;

  /** Opens the directory and takes its cross-process lock; serials are sequential. */
  public PuppetCaDirectory(CaPaths paths) {
    this(paths, false);
  }

  /**
   * Opens the directory and takes its cross-process lock; with {@code randomSerials} every new
   * serial is a random positive 128-bit number, checked against every serial the inventory holds.
   */
  public PuppetCaDirectory(CaPaths paths, boolean randomSerials) {
    this(paths, randomSerials, KeyProtection.PLAIN);
  }

  /** As {@link #PuppetCaDirectory(CaPaths, boolean)}, its CA keys kept as {@code keys} says. */
  public PuppetCaDirectory(CaPaths paths, boolean randomSerials, KeyProtection keys) {
    this.paths = paths;
    AtomicFiles.directory(paths.cadir(), "rwxr-xr-x");
    this.dirLock = DirLock.acquire(paths.cadir());
    this.signedIndex = new SignedIndex(paths.signeddir(), paths.cadir().resolve(INDEX_SNAPSHOT));
    this.signed = new SignedFiles(paths.signeddir(), signedIndex);
    this.inventory = new Inventory(paths.inventory(), signedIndex::peek);
    this.serials =
        new Serials(
            new SerialFile(paths.serial()), randomSerials, () -> inventory.notAfter().keySet());
    this.documents = new DirDocuments(paths, serials, inventory, keys);
    this.records = new DirRecords(paths, serials, inventory, signedIndex, signed);
    this.enrolment = new DirEnrolment(paths.cadir());
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
  @Override
  public void refreshIfChanged() {
    signedIndex.rescanIfChanged();
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

  /** Creates {@code requests/} and {@code signed/} when an adopted CA lacks them. */
  public void ensureDirectories() {
    AtomicFiles.directory(paths.csrdir(), "rwxr-xr-x");
    AtomicFiles.directory(paths.signeddir(), "rwxr-xr-x");
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
    signedIndex.close(); // a clean stop leaves the next start its index
    dirLock.close();
  }

  /** The whole directory, for migrate and export. */
  public StoreContent content() {
    return new DirTransfer(paths);
  }
}
