package org.voxca.pkcs11;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * A PKCS#11 token as {@code voxca { ca-key { type: pkcs11 } }} names it: the module's library, the
 * token's label, the label of the CA key's object (a two-level CA's root is {@code
 * <key-label>-root}), the user PIN, and how often a failed token is tried again.
 */
public record TokenConfig(
    Path library, String tokenLabel, String keyLabel, char[] pin, Duration retry) {
  public TokenConfig {
    Objects.requireNonNull(library, "library == null");
    Objects.requireNonNull(tokenLabel, "tokenLabel == null");
    Objects.requireNonNull(keyLabel, "keyLabel == null");
    Objects.requireNonNull(pin, "pin == null");
    Objects.requireNonNull(retry, "retry == null");
  }

  /** The label of {@code role}'s key object: {@code ca} the key label, {@code root} with -root. */
  public String label(String role) {
    return role.equals("ca") ? keyLabel : keyLabel + "-" + role;
  }

  @Override
  public String toString() {
    return "token '" + tokenLabel + "' (" + library + ")";
  }
}
