package org.voxca.store.memory;

import org.voxca.store.CaStore;
import org.voxca.store.CaStoreContract;

/** The store contract on the in-memory store the CA's unit tests run on. */
class MemoryCaStoreContractTest extends CaStoreContract {
  @Override
  protected CaStore openEmpty() {
    return new MemoryCaStore();
  }
}
