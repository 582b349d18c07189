package org.voxca.pki;

/** Unreadable or invalid X.509 material; the message is one line, safe to show a client. */
public final class PkiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PkiException(String message) {
    super(message);
  }

  public PkiException(String message, Throwable cause) {
    super(message, cause);
  }
}
