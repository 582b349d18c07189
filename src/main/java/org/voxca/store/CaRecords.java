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
 * The CA's records in a store: pending CSRs, each name's current certificate, the inventory of
 * every certificate issued, the infrastructure nodes and the serial counter. Names given here were
 * already validated by the CA rules.
 */
public interface CaRecords {

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
}
