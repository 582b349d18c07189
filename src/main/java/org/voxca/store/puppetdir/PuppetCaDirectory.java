package org.voxca.store.puppetdir;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.voxca.pki.Certificates;
import org.voxca.pki.PkiException;
import org.voxca.store.CertificateRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.voxca.store.CaMaterial;
import org.voxca.store.CaStore;
import org.voxca.store.StoredFile;

/**
 * The Puppet-compatible CA directory (spec §6): the same files, names and formats Puppet Server
 * reads and writes, so a CA can move between Puppet Server and voxca. Every replacement is atomic
 * ({@link AtomicFiles}); serial allocation and inventory appends are serialised in-process, and
 * {@link DirLock} keeps other processes out.
 */
public final class PuppetCaDirectory implements CaStore {
  private final CaPaths paths;
  private final SerialFile serial;
  private final Inventory inventory;
  private final ReentrantLock serialLock = new ReentrantLock();
  private final DirLock dirLock;

  private final boolean randomSerials;
  private Set<BigInteger> knownSerials;
  private final SignedIndex signedIndex;

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
    this.randomSerials = randomSerials;
    AtomicFiles.directory(paths.cadir(), "rwxr-xr-x");
    this.dirLock = DirLock.acquire(paths.cadir());
    this.serial = new SerialFile(paths.serial());
    this.signedIndex = new SignedIndex(paths.signeddir());
    this.inventory = new Inventory(paths.inventory(), signedIndex::peek);
  }

  /**
   * Builds the in-memory indexes in the background (the server calls this once it is up): the
   * records of {@code signed/} for listings, and the inventory by subject for revocations.
   */
  public CompletableFuture<Void> startIndexing() {
    return signedIndex.start().thenRun(inventory::load);
  }

  /** Re-reads what changed in {@code signed/} when another tool changed it; called periodically. */
  public void refreshIndexIfChanged() {
    signedIndex.rescanIfChanged();
  }

  public CaPaths paths() {
    return paths;
  }

  @Override
  public Layout layout() {
    List<String> found = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (Path p : List.of(paths.cacert(), paths.cacrl(), paths.cakey(), paths.inventory(), paths.serial())) {
      (Files.isRegularFile(p) ? found : missing).add(p.toString());
    }
    return new Layout(found, missing);
  }

  @Override
  public CaMaterial readCa() {
    String pub = Files.isRegularFile(paths.capub()) ? read(paths.capub()) : "";
    return new CaMaterial(read(paths.cacert()), read(paths.cakey()), pub, read(paths.cacrl()));
  }

  @Override
  public void initializeCa(CaMaterial m, X509Certificate caCert, BigInteger nextSerial) {
    AtomicFiles.directory(paths.csrdir(), "rwxr-xr-x");
    AtomicFiles.directory(paths.signeddir(), "rwxr-xr-x");
    AtomicFiles.write(paths.cakey(), utf8(m.privateKeyPem()), AtomicFiles.PRIVATE);
    AtomicFiles.write(paths.capub(), utf8(m.publicKeyPem()), AtomicFiles.PUBLIC);
    AtomicFiles.write(paths.cacrl(), utf8(m.crlChainPem()), AtomicFiles.PUBLIC);
    AtomicFiles.write(paths.infraCrl(), utf8(m.crlChainPem()), AtomicFiles.PUBLIC);
    if (!Files.exists(paths.infraInventory())) {
      AtomicFiles.write(paths.infraInventory(), new byte[0], AtomicFiles.PUBLIC);
    }
    serial.write(nextSerial);
    inventory.create(caCert);
    // The certificate last: its presence marks a complete CA for the layout check.
    AtomicFiles.write(paths.cacert(), utf8(m.certBundlePem()), AtomicFiles.PUBLIC);
  }

  /** Creates {@code requests/} and {@code signed/} when an adopted CA lacks them. */
  public void ensureDirectories() {
    AtomicFiles.directory(paths.csrdir(), "rwxr-xr-x");
    AtomicFiles.directory(paths.signeddir(), "rwxr-xr-x");
  }

  @Override
  public StoredFile caBundle() {
    return stored(paths.cacert()).orElseThrow(() -> new IllegalStateException("missing " + paths.cacert()));
  }

  @Override
  public StoredFile crlChain() {
    return stored(paths.cacrl()).orElseThrow(() -> new IllegalStateException("missing " + paths.cacrl()));
  }

  @Override
  public Instant caBundleModified() {
    return mtime(paths.cacert());
  }

  @Override
  public Instant crlChainModified() {
    return mtime(paths.cacrl());
  }

  private static Instant mtime(Path p) {
    try {
      return Files.getLastModifiedTime(p).toInstant();
    } catch (IOException e) {
      return Instant.EPOCH;
    }
  }

  @Override
  public Optional<StoredFile> infraCrlChain() {
    return stored(paths.infraCrl());
  }

  @Override
  public void replaceInfraCrlChain(byte[] pem) {
    AtomicFiles.write(paths.infraCrl(), pem, AtomicFiles.PUBLIC);
  }

  @Override
  public void replaceCrlChain(byte[] pem) {
    AtomicFiles.write(paths.cacrl(), pem, AtomicFiles.PUBLIC);
  }

  @Override
  public Optional<StoredFile> certificate(String name) {
    return stored(entry(paths.signeddir(), name));
  }

  @Override
  public Optional<StoredFile> csr(String name) {
    return stored(entry(paths.csrdir(), name));
  }

  @Override
  public void saveCsr(String name, byte[] pem) {
    AtomicFiles.write(entry(paths.csrdir(), name), pem, AtomicFiles.PUBLIC);
  }

  @Override
  public boolean deleteCsr(String name) {
    try {
      boolean deleted = Files.deleteIfExists(entry(paths.csrdir(), name));
      if (deleted) {
        AtomicFiles.fsyncDirectory(paths.csrdir());
      }
      return deleted;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete CSR " + name, e);
    }
  }

  @Override
  public List<String> csrNames() {
    return pemNames(paths.csrdir());
  }

  @Override
  public void eachCertificate(Predicate<String> name,
      Consumer<CertificateRecord> sink) {
    signedIndex.each(name, sink);
  }

  @Override
  public Optional<CertificateRecord> certificateRecord(String name) {
    Path p = entry(paths.signeddir(), name);
    if (signedIndex.ready()) {
      return Optional.ofNullable(signedIndex.peek(name));
    }
    return stored(p).flatMap(f -> { // the first scan is still running: read the file
      try {
        return Optional.of(CertificateRecord.of(name, Certificates.firstDer(f.bytes())));
      } catch (PkiException e) {
        return Optional.empty();
      }
    });
  }

  @Override
  public boolean deleteCertificate(String name) {
    signedIndex.beginWrite();
    boolean deleted = false;
    try {
      deleted = Files.deleteIfExists(entry(paths.signeddir(), name));
      if (deleted) {
        AtomicFiles.fsyncDirectory(paths.signeddir());
      }
      return deleted;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete certificate " + name, e);
    } finally {
      if (deleted) {
        signedIndex.remove(name);
      } else {
        signedIndex.abandonWrite();
      }
    }
  }

  private static List<String> pemNames(Path dir) {
    List<String> names = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return names;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.pem")) {
      for (Path p : ds) {
        String f = p.getFileName().toString();
        if (!f.startsWith(".")) {
          names.add(f.substring(0, f.length() - 4));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
    names.sort(null);
    return names;
  }

  @Override
  public BigInteger allocateSerial() {
    serialLock.lock();
    try {
      if (randomSerials) {
        return randomSerial();
      }
      BigInteger next = serial.read();
      serial.write(next.add(BigInteger.ONE));
      return next;
    } finally {
      serialLock.unlock();
    }
  }

  private BigInteger randomSerial() {
    if (knownSerials == null) {
      knownSerials = new HashSet<>(inventoryNotAfter().keySet());
    }
    BigInteger s;
    do {
      s = new BigInteger(128, RANDOM).setBit(126);
    } while (knownSerials.contains(s));
    knownSerials.add(s);
    return s;
  }

  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * The inventory line first, then {@code signed/<name>.pem}: a crash between the two leaves a
   * line for a certificate nobody received (harmless: its serial is simply never used again), never
   * a certificate missing from the inventory, so the start-up check need not read {@code signed/}.
   */
  @Override
  public void saveCertificate(String name, X509Certificate cert, byte[] pem) {
    inventory.append(cert);
    signedIndex.beginWrite();
    try {
      AtomicFiles.write(entry(paths.signeddir(), name), pem, AtomicFiles.PUBLIC);
    } catch (RuntimeException e) {
      signedIndex.abandonWrite();
      throw e;
    }
    signedIndex.put(name, cert);
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
    Path p = paths.infraInventory();
    try {
      Set<String> out = new LinkedHashSet<>();
      for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          out.add(line.trim());
        }
      }
      return out;
    } catch (NoSuchFileException e) {
      return Set.of();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + p, e);
    }
  }

  @Override
  public void close() {
    dirLock.close();
  }

  /**
   * {@code dir/<name>.pem}, refusing anything that would leave {@code dir}: the CA rules already
   * restrict names, and this is the second, independent guard.
   */
  private static Path entry(Path dir, String name) {
    if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.contains("\0")
        || name.equals(".") || name.equals("..") || name.startsWith(".")) {
      throw new IllegalArgumentException("unsafe name for a CA file: " + name);
    }
    Path p = dir.resolve(name + ".pem").normalize();
    if (!p.getParent().equals(dir.normalize())) {
      throw new IllegalArgumentException("unsafe name for a CA file: " + name);
    }
    return p;
  }

  private static Optional<StoredFile> stored(Path p) {
    try {
      Instant mtime = Files.getLastModifiedTime(p).toInstant();
      return Optional.of(new StoredFile(Files.readAllBytes(p), mtime));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + p, e);
    }
  }

  private static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + p, e);
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
