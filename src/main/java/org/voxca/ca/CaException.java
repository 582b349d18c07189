package org.voxca.ca;

import java.util.Objects;

/** A refused CA operation: a {@link Reason} and a one-line message in Puppet's wording. */
public final class CaException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final Reason reason;

  public CaException(Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason == null");
  }

  public Reason reason() {
    return reason;
  }

  static CaException invalid(String message) {
    return new CaException(Reason.INVALID_CSR, message);
  }
}
