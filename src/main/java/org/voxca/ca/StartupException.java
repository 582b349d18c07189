package org.voxca.ca;

/**
 * The CA directory cannot be used (partial, foreign, unreadable); the message is for the operator.
 */
public final class StartupException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StartupException(String message) {
    super(message);
  }
}
