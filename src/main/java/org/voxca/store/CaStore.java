package org.voxca.store;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Where the CA keeps its records: CA material, CSRs, issued certificates, the serial counter, the
 * inventory and the CRL chain. Implementations own their locking and make every write atomic;
 * callers never see a half-written record. Names given here were already validated by the CA rules.
 *
 * <p>Failure contract: a store that cannot answer throws {@link StoreUnavailable} (or any other
 * {@link java.io.UncheckedIOException}) and has changed nothing; a store another process owns alone
 * refuses to open with {@link CaInUse}. What only some stores can do is a capability of its own —
 * {@link Replicated}, {@link Indexed}, {@link Checkable}, {@link Transferable} — found once, where
 * the store is opened ({@link StoreCapabilities}). Every store passes the same contract test suite.
 */
public interface CaStore extends AutoCloseable {

  /** Which of the CA's required files exist: all, none, or some (a refused partial state). */
  Layout layout();

  /** Reads the CA material; only valid when {@link #layout()} is complete. */
  CaMaterial readCa();

  /**
   * Writes a fresh CA: key first (owner-only before any byte), then certificate, public key, CRL,
   * serial (the next serial to issue) and an inventory holding the CA certificate ({@code caCert}
   * may be null for an imported CA, whose certificate this CA did not issue: the inventory starts
   * empty).
   */
  void initializeCa(CaMaterial material, X509Certificate caCert, BigInteger nextSerial);

  /** Writes the root CA's key of a two-level CA ({@code root_key.pem}, owner and group only). */
  void saveRootKey(String pem);

  /** The root CA's key of a two-level CA, when this directory has it. */
  Optional<String> rootKey();

  /** The CA certificate bundle as served, byte for byte, with its modification time. */
  StoredFile caBundle();

  /** The CRL chain as served, byte for byte, with its modification time. */
  StoredFile crlChain();

  /** Modification time of the CA bundle, read without reading the file. */
  Instant caBundleModified();

  /** Modification time of the CRL chain, read without reading the file. */
  Instant crlChainModified();

  /** The infrastructure CRL chain ({@code infra_crl.pem}), when it exists. */
  Optional<StoredFile> infraCrlChain();

  /** Replaces (or creates) the infrastructure CRL chain atomically. */
  void replaceInfraCrlChain(byte[] pem);

  /**
   * Replaces the CA bundle atomically, keeping the previous one beside it for rollback as {@code
   * <bundle>.<suffix>}.
   */
  void replaceCaBundle(byte[] pem, String backupSuffix);

  /** Replaces the CRL chain atomically. */
  void replaceCrlChain(byte[] pem);

  Optional<StoredFile> certificate(String name);

  Optional<StoredFile> csr(String name);

  void saveCsr(String name, byte[] pem);

  /** Deletes a pending CSR; false when there was none. */
  boolean deleteCsr(String name);

  /** Names of every pending CSR. */
  List<String> csrNames();

  /**
   * The record of every signed certificate whose name passes {@code name}, in name order, from
   * memory: a listing never reads a certificate file.
   */
  void eachCertificate(Predicate<String> name, Consumer<CertificateRecord> sink);

  /** The record of a name's signed certificate, from memory once the index is built. */
  Optional<CertificateRecord> certificateRecord(String name);

  /** Deletes the signed certificate file of a name; false when there was none. */
  boolean deleteCertificate(String name);

  /** Allocates the next serial; never returns the same value twice. */
  BigInteger allocateSerial();

  /**
   * Records a certificate issued beside a name's current one (the server's ECDSA certificate): an
   * inventory line only, {@code signed/} keeps the name's current certificate.
   */
  void recordIssued(X509Certificate cert);

  /** Records an issued certificate: the signed file for its name, and an inventory line. */
  void saveCertificate(String name, X509Certificate cert, byte[] pem);

  /**
   * Records a certificate signed from the name's pending CSR and removes that CSR: in a database
   * one transaction (all of it or none); the directory writes the certificate, then deletes the CSR
   * (a crash between leaves a CSR whose name already has its certificate: harmless).
   */
  default void saveCertificateFromCsr(String name, X509Certificate cert, byte[] pem) {
    saveCertificate(name, cert, pem);
    deleteCsr(name);
  }

  /**
   * Serials the inventory records for subject {@code /CN=<name>} whose notAfter is after {@code
   * now}: every live certificate of the name, superseded ones included.
   */
  Set<BigInteger> liveSerials(String name, Instant now);

  /** True when the inventory records {@code serial} (this CA issued it). */
  boolean issued(BigInteger serial);

  /** notAfter of every serial the inventory records. */
  Map<BigInteger, Instant> inventoryNotAfter();

  /** Certnames listed in {@code infra_inventory.txt} (infrastructure nodes), or none. */
  Set<String> infraNodes();

  /** Where the CA lives, for messages: the CA directory, or the database (without credentials). */
  String location();

  /** Where a name's certificate lives, for messages: its signed file, or its database row. */
  default String certificateLocation(String name) {
    return location() + " (certificates: " + name + ")";
  }

  /**
   * Throws when the store does not answer (its files or engine are gone or unusable); cheap enough
   * for every readiness probe.
   */
  void probe();

  @Override
  void close();

  /** Presence of the CA's required files. */
  record Layout(List<String> found, List<String> missing) {
    public boolean complete() {
      return missing.isEmpty();
    }

    public boolean empty() {
      return found.isEmpty();
    }
  }
}
