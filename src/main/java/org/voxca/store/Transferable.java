package org.voxca.store;

/**
 * A store whose whole content can be read out and written into another store: what {@code voxca ca
 * migrate --to-store} and {@code voxca ca export} move between a CA directory and a database.
 */
public interface Transferable {

  /** The store's content, to copy from or into. */
  StoreContent content();
}
