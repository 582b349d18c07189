package org.voxca.http;

import org.voxca.ca.CaException;

/**
 * The one place a CA refusal becomes an HTTP answer: the status from its reason, the body its
 * one-line message, the content type the route's (handlers never catch {@link CaException}).
 */
final class HttpErrors {
  private HttpErrors() {}

  static int status(CaException e) {
    return switch (e.reason()) {
      case BAD_REQUEST, INVALID_CSR -> 400;
      case NOT_FOUND -> 404;
      case CONFLICT -> 409;
      case FORBIDDEN -> 403;
      case UNAVAILABLE, CA_UNUSABLE -> 503;
    };
  }

  /** Answers a refusal with its status, in the content type the route's Puppet endpoint uses. */
  static void send(Exchange ex, CaException e) {
    ex.text(status(e), ex.errorType, e.getMessage());
  }
}
