package org.voxca.http;

import org.voxca.ca.CaException;
import org.voxca.ca.Reason;

/**
 * The one place a CA refusal becomes an HTTP answer: the status from its reason, the body its
 * one-line message, the content type the route's (handlers never catch {@link CaException}).
 */
public final class HttpErrors {
  private HttpErrors() {}

  /** The HTTP status of a CA refusal. */
  public static int status(CaException e) {
    return switch (e.reason()) {
      case BAD_REQUEST, INVALID_CSR -> 400;
      case NOT_FOUND -> 404;
      case CONFLICT -> 409;
      case FORBIDDEN -> 403;
      case UNAVAILABLE, CA_UNUSABLE -> 503;
    };
  }

  /**
   * Answers a refusal with its status, in the content type the route's Puppet endpoint uses; a CA
   * that cannot sign (its certificate expired) asks to be retried later than a busy store does.
   */
  static void send(Exchange ex, CaException e) {
    int status = status(e);
    if (status == 503) {
      long retry = e.reason() == Reason.CA_UNUSABLE ? CA_UNUSABLE_RETRY : Exchange.RETRY_SECONDS;
      ex.unavailable(retry, ex.errorType, e.getMessage());
    } else {
      ex.text(status, ex.errorType, e.getMessage());
    }
  }

  /** Retry-After of a CA that cannot sign: the operator has to act (extend or renew the CA). */
  static final long CA_UNUSABLE_RETRY = 300;
}
