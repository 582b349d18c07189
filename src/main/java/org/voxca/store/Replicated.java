package org.voxca.store;

/**
 * A store that several voxca processes share at once (replicas on one database): its locks are
 * honoured by every process, and it tells when another process changed the CA documents. A store
 * held by one process is {@link #SINGLE_PROCESS}: the in-process locks of the CA are enough.
 */
public interface Replicated {

  /**
   * Takes the CA-wide write lock that every process sharing this store honours (the CRL chain is
   * read, appended to and written under it, so no replica loses another's revocation).
   */
  Held exclusive();

  /**
   * Takes the lock on one name that every process sharing this store honours (submit, sign, renew,
   * revoke of a name never interleave across replicas).
   */
  Held lockName(String name);

  /**
   * Registers {@code listener} to run (on a thread of the store's) as soon as another process
   * changed the CA documents; the every-second refresh of the CA is the fallback.
   */
  void onChange(Runnable listener);

  /**
   * Records that the replica {@code name} is alive now (the server calls it every {@link
   * #HEARTBEAT}); a store of one process keeps nothing.
   */
  default void seen(String name) {}

  /** Records that the replica {@code name} stopped cleanly (its heartbeat no longer counts). */
  default void stopped(String name) {}

  /**
   * The replicas that said they were alive and have not stopped cleanly since, with the last time
   * they said so (a crashed replica stays here until its heartbeat is old).
   */
  default java.util.Map<String, java.time.Instant> running() {
    return java.util.Map.of();
  }

  /** Every replica that said it was alive in the last 7 days, with the last time it did. */
  default java.util.Map<String, java.time.Instant> replicas() {
    return java.util.Map.of();
  }

  /** How often a replica says it is alive. */
  java.time.Duration HEARTBEAT = java.time.Duration.ofSeconds(30);

  /** A lock held until closed; closing twice is harmless. */
  interface Held extends AutoCloseable {
    @Override
    void close();
  }

  /** The store of one process: nothing to lock beyond the process, nobody else changes it. */
  Replicated SINGLE_PROCESS =
      new Replicated() {
        @Override
        public Held exclusive() {
          return () -> {};
        }

        @Override
        public Held lockName(String name) {
          return () -> {};
        }

        @Override
        public void onChange(Runnable listener) {}
      };
}
