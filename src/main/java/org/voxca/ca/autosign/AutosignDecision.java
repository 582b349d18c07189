package org.voxca.ca.autosign;

import java.util.Objects;

/**
 * What autosigning decided for one CSR, and why, in words an operator reads in {@code voxca ca
 * list}, {@code certificate_status} and the audit log: signed by which rule, or pending because of
 * what.
 */
public record AutosignDecision(boolean sign, String reason) {
  public AutosignDecision {
    Objects.requireNonNull(reason, "reason == null");
  }

  public static AutosignDecision signed(String reason) {
    return new AutosignDecision(true, reason);
  }

  public static AutosignDecision pending(String reason) {
    return new AutosignDecision(false, reason);
  }
}
