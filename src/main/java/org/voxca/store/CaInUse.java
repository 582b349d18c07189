package org.voxca.store;

/**
 * The store is held by another voxca process that owns it alone (a CA directory is served by one
 * process at a time): nothing was opened. {@code serve} refuses to start; an offline CLI verb says
 * to use the running server's API instead.
 */
public final class CaInUse extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public CaInUse(String message) {
    super(message);
  }
}
