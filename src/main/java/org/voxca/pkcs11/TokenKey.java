package org.voxca.pkcs11;

import java.security.PrivateKey;

/**
 * A CA private key that lives in a token, as the CA holds it: a name ({@link Token} and object
 * label), never the key. Signatures with it go through {@link TokenProvider}, which finds the
 * token's current handle for the label, so the same key object keeps working after the token was
 * opened again.
 */
final class TokenKey implements PrivateKey {
  private static final long serialVersionUID = 1L;
  private final transient Token token;
  private final String label;
  private final String algorithm;

  TokenKey(Token token, String label, String algorithm) {
    this.token = token;
    this.label = label;
    this.algorithm = algorithm;
  }

  Token token() {
    return token;
  }

  String label() {
    return label;
  }

  @Override
  public String getAlgorithm() {
    return algorithm;
  }

  /** Never encoded: the key does not leave the token. */
  @Override
  public String getFormat() {
    return null;
  }

  @Override
  public byte[] getEncoded() {
    return null;
  }

  @Override
  public String toString() {
    return algorithm + " key '" + label + "' in " + token.config();
  }
}
