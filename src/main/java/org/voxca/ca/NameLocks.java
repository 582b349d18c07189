package org.voxca.ca;

import java.util.concurrent.locks.ReentrantLock;
import org.voxca.store.CaStore;

/**
 * Per-name locks: operations on one name are serialised — in this process by striped locks, and
 * across every process sharing the store by the store's own name lock (a lease in a database; none
 * for the directory, which one process holds) — while other names run freely.
 */
final class NameLocks {
  private final ReentrantLock[] stripes;
  private final CaStore store;

  NameLocks(int count, CaStore store) {
    this.store = store;
    stripes = new ReentrantLock[count];
    for (int i = 0; i < count; i++) {
      stripes[i] = new ReentrantLock();
    }
  }

  Lock of(String name) {
    return new Lock(stripes[Math.floorMod(name.hashCode(), stripes.length)], name);
  }

  /** One name's lock: the stripe first, then the store's; released in reverse. */
  final class Lock {
    private final ReentrantLock stripe;
    private final String name;
    private CaStore.Held held;

    private Lock(ReentrantLock stripe, String name) {
      this.stripe = stripe;
      this.name = name;
    }

    void lock() {
      stripe.lock();
      try {
        held = store.lockName(name);
      } catch (RuntimeException e) {
        stripe.unlock();
        throw e;
      }
    }

    void unlock() {
      try {
        if (held != null) {
          held.close();
          held = null;
        }
      } finally {
        stripe.unlock();
      }
    }
  }
}
