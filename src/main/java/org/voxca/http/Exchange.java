package org.voxca.http;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** One request and its response: size-capped body reads and single-shot plain writes. */
final class Exchange {
  static final String TEXT = "text/plain";
  static final String TEXT_UTF8 = "text/plain; charset=utf-8";
  static final String JSON = "application/json";

  /** Retry-After of a 503 that names none: a database fail-over takes seconds. */
  static final long RETRY_SECONDS = 10;

  final Request request;
  final Response response;
  final Callback callback;
  final RequestPath path;

  /** Query parameters, decoded once for the rules and the handlers. */
  final Map<String, List<String>> query;

  final ClientIdentity identity;
  private byte[] body = new byte[0];

  /** The content type of a CA refusal on this exchange's route (set by the router). */
  String errorType = TEXT_UTF8;

  Exchange(
      Request request,
      Response response,
      Callback callback,
      RequestPath path,
      Map<String, List<String>> query,
      ClientIdentity identity) {
    this.request = request;
    this.response = response;
    this.callback = callback;
    this.path = path;
    this.query = query;
    this.identity = identity;
  }

  /** The first value of a query parameter, or null. */
  String param(String name) {
    List<String> v = query.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  String method() {
    return request.getMethod();
  }

  String header(HttpHeader h) {
    return request.getHeaders().get(h);
  }

  /** The request body, read before the endpoint ran (empty for a GET). */
  byte[] body() {
    return body;
  }

  void setBody(byte[] bytes) {
    body = bytes;
  }

  /** Adds a header name to {@code Vary} (the answer depends on it). */
  void vary(String header) {
    response.getHeaders().add(HttpHeader.VARY, header);
  }

  /** Sends bytes that are already gzipped, labelled {@code Content-Encoding: gzip}. */
  void gzipped(int status, String contentType, byte[] gzip) {
    response.getHeaders().put(HttpHeader.CONTENT_ENCODING, "gzip");
    send(status, contentType, gzip);
  }

  /** The connection is closed once this response is written (a body left unread, a slow client). */
  void closeAfter() {
    response.getHeaders().put(HttpHeader.CONNECTION, "close");
  }

  private boolean done;

  /** True once a response was started; nothing more may be written. */
  boolean done() {
    return done;
  }

  /**
   * The one way to a 503: the CA cannot answer now, retry after {@code seconds} (a fail-over, a
   * queue draining, an operator's repair); agents and the CLI honour the header.
   */
  void unavailable(long seconds, String contentType, String body) {
    response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(seconds));
    text(503, contentType, body);
  }

  /** Sends the whole answer; a 503 always carries a Retry-After ({@link #unavailable}). */
  void send(int status, String contentType, byte[] body) {
    if (status == 503 && !response.getHeaders().contains(HttpHeader.RETRY_AFTER)) {
      response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(RETRY_SECONDS));
    }
    done = true;
    response.setStatus(status);
    if (contentType != null) {
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    }
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  /** Streams a body of unknown length (chunked); the writer must not keep the stream. */
  void stream(int status, String contentType, Body writer) throws IOException {
    done = true;
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    try (OutputStream out =
        new BufferedOutputStream(Content.Sink.asOutputStream(response), 64 * 1024)) {
      writer.write(out);
    } catch (IOException | RuntimeException e) {
      callback.failed(e);
      throw e;
    }
    callback.succeeded();
  }

  /** Writes a streamed body. */
  @FunctionalInterface
  interface Body {
    void write(OutputStream out) throws IOException;
  }

  void text(int status, String contentType, String body) {
    send(status, contentType, body.getBytes(StandardCharsets.UTF_8));
  }

  void empty(int status, String contentType) {
    send(status, contentType, new byte[0]);
  }
}
