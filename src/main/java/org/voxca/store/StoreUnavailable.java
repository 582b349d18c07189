package org.voxca.store;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The store's failure contract: the store did not answer (its engine is down, its disk refuses a
 * write) and the operation did not happen — nothing was changed, so the caller may simply retry.
 * The HTTP edge answers it with 503 and a {@code Retry-After}; a CLI verb prints it and exits 1.
 *
 * <p>It is an {@link UncheckedIOException} so that a store built on files may let the I/O failures
 * of its helpers through unchanged: every I/O failure under the CA means the same.
 */
public class StoreUnavailable extends UncheckedIOException {
  private static final long serialVersionUID = 1L;

  public StoreUnavailable(String message, Throwable cause) {
    super(message, cause instanceof IOException io ? io : new IOException(cause));
  }
}
