package org.voxca.store;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Optional;

/**
 * The CA's own documents in a store: its certificate bundle, keys, public key and CRL chains, each
 * replaced whole (a reader sees the old document or the new one, never a mix).
 */
public interface CaDocuments {

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

  /**
   * Rewrites the CA's private keys, wherever this store keeps them, as {@code next} protects them
   * (re-encrypted under a new passphrase, or plain for Puppet Server); each copy replaced whole.
   * The keys are read with the store's own protection first, so a wrong passphrase changes nothing.
   */
  void rewriteKeys(KeyProtection next);

  /**
   * Replaces the CA's private keys by what now stands for them ({@code caKey}, and {@code rootKey}
   * unless null: references to a token's objects): each file that held a key is renamed aside
   * ({@code <name>.imported}, still owner-only) and a database copy replaced. Returns where the old
   * keys still are, for the operator to destroy.
   */
  java.util.List<String> replaceKeys(String caKey, String rootKey);

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

  /** The next key generation of a rollover under way, or empty when none is. */
  Optional<NextGeneration> nextGeneration();

  /**
   * When the next generation's record last changed ({@link Instant#EPOCH} when there is none), read
   * cheaply enough to poll every second.
   */
  Instant nextGenerationModified();

  /**
   * Writes the next generation: its key first (owner-only before any byte, protected as the CA's
   * key is), then its certificate, then the stage, which commits it. Replaces any there was.
   */
  void saveNextGeneration(NextGeneration next);

  /**
   * Makes a rollover's next generation the CA's only one: {@code retiredCaPem} kept (unless null)
   * so that every replica recognises its own certificate from the retired CA, the current key set
   * aside (kept, for the operator to destroy), then {@code next}'s key, public key, CRL chain,
   * {@code infraCrlChainPem} (unless null) and bundle, the bundle last. Idempotent, so an
   * interrupted finish completes when run again. Returns where the retired key remains.
   */
  java.util.List<String> promoteNextGeneration(
      CaMaterial next, String infraCrlChainPem, String retiredCaPem);

  /** The CA certificate a finished rollover retired, when one did. */
  Optional<String> retiredCa();

  /**
   * Forgets the next generation: the stage first (from then on there is none), then its certificate
   * and key. Returns where a copy of the key may remain, for the operator to destroy (a token's
   * object is left to the operator).
   */
  java.util.List<String> dropNextGeneration();
}
