package org.voxca.ca;

import java.util.concurrent.locks.ReentrantLock;
import org.voxca.store.Replicated;

/**
 * Per-name locks: operations on one name are serialised — in this process by striped locks, and
 * across every process sharing the store by the store's own name lock (a lease in a database; none
 * for a store one process holds) — while other names run freely.
 */
final class NameLocks {
  private final ReentrantLock[] stripes;
  private final Replicated replicas;

  NameLocks(int count, Replicated replicas) {
    this.replicas = replicas;
    stripes = new ReentrantLock[count];
    for (int i = 0; i < count; i++) {
      stripes[i] = new ReentrantLock();
    }
  }

  /**
   * Takes {@code name}'s lock — the stripe first, then the store's — until the returned hold is
   * closed (in reverse order): {@code try (var held = locks.hold(name)) { ... }}.
   */
  Replicated.Held hold(String name) {
    ReentrantLock stripe = stripes[Math.floorMod(name.hashCode(), stripes.length)];
    stripe.lock();
    Replicated.Held store;
    try {
      store = replicas.lockName(name);
    } catch (RuntimeException e) {
      stripe.unlock();
      throw e;
    }
    return new Replicated.Held() {
      private boolean closed;

      @Override
      public void close() {
        if (closed) {
          return;
        }
        closed = true;
        try {
          store.close();
        } finally {
          stripe.unlock();
        }
      }
    };
  }
}
