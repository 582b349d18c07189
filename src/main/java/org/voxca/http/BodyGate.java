package org.voxca.http;

import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.voxca.ca.RateLimitedLog;

/**
 * The body of a PUT or POST, read without holding a thread, within the body deadline (408 past it),
 * capped in size (413, the rest drained so the client hears it); the route runs once it is whole.
 */
final class BodyGate {
  private final HttpLimits limits;
  private final RateLimitedLog refusals;

  BodyGate(HttpLimits limits, RateLimitedLog refusals) {
    this.limits = limits;
    this.refusals = refusals;
  }

  /** Reads {@code ex}'s body, then runs {@code then}; or answers why it could not. */
  void read(Exchange ex, Runnable then) {
    if (ex.request.getLength() > limits.drainBytes()) {
      ex.closeAfter();
      ex.text(
          413, Exchange.TEXT_UTF8, "Request body is larger than " + limits.maxBody() + " bytes");
      return;
    }
    BodyReader.read(ex.request, limits.maxBody(), limits.drainBytes())
        .orTimeout(limits.bodyTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete(
            (body, failure) -> {
              if (failure != null) {
                badBody(ex, failure);
              } else if (body.tooLarge()) {
                if (!body.drained()) {
                  ex.closeAfter();
                }
                ex.text(
                    413,
                    Exchange.TEXT_UTF8,
                    "Request body is larger than " + limits.maxBody() + " bytes");
              } else {
                ex.setBody(body.bytes());
                then.run();
              }
            });
  }

  /** A body that never arrived whole: 408 past the deadline, 400 when the client broke it off. */
  private void badBody(Exchange ex, Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    ex.closeAfter();
    if (cause instanceof TimeoutException) {
      refusals.log(
          "Request body of {} {} from {} not received within {}",
          ex.method(),
          ex.path.decoded(),
          ex.identity,
          limits.bodyTimeout());
      ex.text(
          408,
          Exchange.TEXT_UTF8,
          "Request body not received within " + limits.bodyTimeout().toSeconds() + " seconds");
      return;
    }
    refusals.log(
        "Could not read the request body of {} {} from {}: {}",
        ex.method(),
        ex.path.decoded(),
        ex.identity,
        String.valueOf(cause.getMessage()).replaceAll("\\s+", " "));
    ex.text(400, Exchange.TEXT_UTF8, "Could not read the request body");
  }
}
