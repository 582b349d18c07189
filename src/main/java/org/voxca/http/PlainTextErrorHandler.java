package org.voxca.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty raises itself (bad URIs, ambiguous paths, oversized headers) answered as one line of
 * plain text, never Jetty's HTML page with exception text.
 */
public final class PlainTextErrorHandler extends ErrorHandler {
  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    int status = response.getStatus();
    Object msg = request.getAttribute(ERROR_MESSAGE);
    String text =
        status >= 400 && status < 500 && msg != null
            ? msg.toString().replaceAll("[\\r\\n]+", " ")
            : reason(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
    response.getHeaders().put(CaRouter.PUPPET_VERSION, StatusResource.CA_API_VERSION);
    response.write(true, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), callback);
    return true;
  }

  /** The status's reason phrase (505 is "HTTP Version Not Supported", not an internal error). */
  private static String reason(int status) {
    String phrase = HttpStatus.getMessage(status);
    return phrase == null || phrase.isBlank() || phrase.equals(String.valueOf(status))
        ? (status >= 500 ? "Internal Server Error" : "Bad Request")
        : phrase;
  }
}
