package org.voxca.http;

import org.voxca.ca.CaException;

/** The one place a CA refusal becomes an HTTP status; the body is the CA's message. */
final class HttpErrors {
  private HttpErrors() {}

  static int status(CaException e) {
    return switch (e.reason()) {
      case BAD_REQUEST, INVALID_CSR -> 400;
      case NOT_FOUND -> 404;
      case CONFLICT -> 409;
      case FORBIDDEN -> 403;
      case UNAVAILABLE -> 503;
    };
  }

  static void send(Exchange ex, CaException e) {
    ex.text(status(e), Exchange.TEXT_UTF8, e.getMessage());
  }
}
