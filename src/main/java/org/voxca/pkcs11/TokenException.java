package org.voxca.pkcs11;

/** A PKCS#11 token that cannot be reached or used; the message says which and why. */
public final class TokenException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TokenException(String message) {
    super(message);
  }
}
