package org.voxca.store;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What an opened store can do beyond {@link CaStore}, found once where it is opened: a capability
 * the store lacks is a neutral stand-in (one process, nothing to index, nothing to check), so no
 * caller ever asks a store what it is.
 */
public record StoreCapabilities(
    Replicated replicated,
    Indexed indexed,
    Checkable checkable,
    Optional<Transferable> transferable) {

  private static final Indexed NOTHING_TO_INDEX =
      new Indexed() {
        @Override
        public CompletableFuture<Void> startIndexing() {
          return CompletableFuture.completedFuture(null);
        }

        @Override
        public void refreshIfChanged() {}
      };

  private static final Checkable NOTHING_TO_CHECK =
      new Checkable() {
        @Override
        public List<String> prepare() {
          return List.of();
        }

        @Override
        public CheckReport check(boolean repair) {
          return new CheckReport(List.of(), List.of());
        }
      };

  /** The capabilities {@code store} implements, the neutral stand-in for each it does not. */
  public static StoreCapabilities of(CaStore store) {
    return new StoreCapabilities(
        store instanceof Replicated r ? r : Replicated.SINGLE_PROCESS,
        store instanceof Indexed i ? i : NOTHING_TO_INDEX,
        store instanceof Checkable c ? c : NOTHING_TO_CHECK,
        store instanceof Transferable t ? Optional.of(t) : Optional.empty());
  }
}
