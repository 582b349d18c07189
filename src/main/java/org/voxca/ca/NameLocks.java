package org.voxca.ca;

import java.util.concurrent.locks.ReentrantLock;

/** Striped per-name locks: operations on one name are serialised, other names run freely. */
final class NameLocks {
  private final ReentrantLock[] stripes;

  NameLocks(int count) {
    stripes = new ReentrantLock[count];
    for (int i = 0; i < count; i++) {
      stripes[i] = new ReentrantLock();
    }
  }

  ReentrantLock of(String name) {
    return stripes[Math.floorMod(name.hashCode(), stripes.length)];
  }
}
