package org.voxca.store;

/**
 * Where the CA keeps what it knows, in three parts: its own {@link CaDocuments} (CA material, CRL
 * chains), its {@link CaRecords} (CSRs, issued certificates, the serial counter, the inventory) and
 * its {@link EnrolmentRecords} (enrolment tokens, one-time claims, autosign decisions).
 * Implementations own their locking and make every write atomic; callers never see a half-written
 * record.
 *
 * <p>Failure contract: a store that cannot answer throws {@link StoreUnavailable} (or any other
 * {@link java.io.UncheckedIOException}) and has changed nothing; a store another process owns alone
 * refuses to open with {@link CaInUse}. What only some stores can do is a capability of its own —
 * {@link Replicated}, {@link Indexed}, {@link Checkable}, {@link Transferable} — found once, where
 * the store is opened ({@link StoreCapabilities}). Every store passes the same contract test suite.
 */
public interface CaStore extends AutoCloseable {

  /** The CA's own documents: bundle, keys, CRL chains. */
  CaDocuments documents();

  /** The CA's records: CSRs, certificates, the inventory, serials. */
  CaRecords records();

  /** What autosigning remembers: enrolment tokens, one-time claims, pending decisions. */
  EnrolmentRecords enrolment();

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
}
