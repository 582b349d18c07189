package org.voxca.store;

import java.util.concurrent.CompletableFuture;

/**
 * A store that keeps in-memory indexes of its records (listings and look-ups answer from memory):
 * built in the background once the server is up, and kept fresh when another tool changed the
 * records behind this process's back.
 */
public interface Indexed {

  /** Builds the indexes; completes when listings and look-ups see every record. */
  CompletableFuture<Void> startIndexing();

  /** Re-reads what another process changed behind this one's back; called every second. */
  void refreshIfChanged();
}
