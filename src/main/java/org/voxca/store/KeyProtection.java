package org.voxca.store;

import org.voxca.pki.EncryptedKeys;
import org.voxca.pki.PkiException;

/**
 * How a store keeps the CA's private keys ({@code ca_key.pem}, {@code root_key.pem}) at rest: plain
 * PEM, as Puppet Server reads them (the default), or encrypted PKCS#8 under a passphrase ({@code
 * voxca { ca-key { type: encrypted, passphrase-file } }}). Callers always see plain PEM in memory;
 * only what is written is sealed.
 */
public final class KeyProtection {
  public static final KeyProtection PLAIN = new KeyProtection(null);
  private final char[] passphrase;

  private KeyProtection(char[] passphrase) {
    this.passphrase = passphrase;
  }

  public static KeyProtection passphrase(String passphrase) {
    if (passphrase == null || passphrase.isEmpty()) {
      throw new IllegalArgumentException("the CA key's passphrase is empty");
    }
    return new KeyProtection(passphrase.toCharArray());
  }

  /** True when keys are written encrypted. */
  public boolean encrypts() {
    return passphrase != null;
  }

  /** What to write for the key in {@code plainPem}. */
  public String seal(String plainPem) {
    return passphrase == null ? plainPem : EncryptedKeys.seal(plainPem, passphrase);
  }

  /**
   * The plain key from what was read: an encrypted key needs the passphrase (a wrong one, or none
   * configured, is a {@link PkiException} saying so); a plain key is returned as it is.
   */
  public String open(String storedPem, String where) {
    if (!EncryptedKeys.encrypted(storedPem)) {
      return storedPem;
    }
    if (passphrase == null) {
      throw new PkiException(
          where
              + " is encrypted: configure voxca { ca-key { type: encrypted, passphrase-file: ... } }");
    }
    try {
      return EncryptedKeys.open(storedPem, passphrase);
    } catch (PkiException e) {
      throw new PkiException(where + ": " + e.getMessage());
    }
  }

  /** True when {@code storedPem} is not yet as this protection writes it (plain, to encrypt). */
  public boolean needsSealing(String storedPem) {
    return passphrase != null && !EncryptedKeys.encrypted(storedPem);
  }

  @Override
  public String toString() {
    return passphrase == null ? "KeyProtection[plain]" : "KeyProtection[encrypted]";
  }
}
