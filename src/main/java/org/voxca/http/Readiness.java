package org.voxca.http;

/**
 * Whether the CA may take traffic, as the status service reports it (trapperkeeper's states):
 * {@code running} answers 200, every other state 503 with the state as the body.
 */
@FunctionalInterface
public interface Readiness {
  /** The CA's state now; called once per status request, so it must be cheap. */
  State state();

  /** Why the state is not {@code running} (e.g. {@code ca_expired}); null when it is. */
  default String reason() {
    return null;
  }

  /** The trapperkeeper-status states voxca uses. */
  enum State {
    STARTING,
    RUNNING,
    STOPPING,
    ERROR;

    /** The state as trapperkeeper spells it. */
    public String word() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
