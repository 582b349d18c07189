package org.voxca.http;

import java.time.Duration;
import java.util.Base64;
import org.eclipse.jetty.http.HttpHeader;
import org.voxca.ca.CertificateAuthority;
import org.voxca.ca.OcspReply;
import org.voxca.pki.OcspResponder;

/**
 * The OCSP responder (RFC 6960, with RFC 5019's GET): {@code POST /puppet-ca/v1/ocsp} with an
 * {@code application/ocsp-request} body, or {@code GET /puppet-ca/v1/ocsp/<url-encoded base64
 * request>}. Always HTTP 200 with an {@code application/ocsp-response}: an unreadable request is
 * OCSP's {@code malformedRequest}, a store that does not answer {@code tryLater}, never an HTTP
 * error.
 */
final class OcspResource {
  private static final String TYPE = "application/ocsp-response";
  private final CertificateAuthority ca;

  OcspResource(CertificateAuthority ca) {
    this.ca = ca;
  }

  void post(Exchange ex, String ignored) {
    answer(ex, ca.ocsp(ex.body()));
  }

  /** The request from the raw (still percent-encoded) path after {@code ocsp/}. */
  void get(Exchange ex, String encoded) {
    byte[] der;
    try {
      der = Base64.getDecoder().decode(Identities.percentDecode(encoded).trim());
    } catch (IllegalArgumentException e) {
      answer(
          ex,
          new OcspReply(
              OcspResponder.status(OcspResponder.MALFORMED_REQUEST), false, Duration.ZERO));
      return;
    }
    answer(ex, ca.ocsp(der));
  }

  /**
   * A response a shared cache may keep is public for what remains of its reuse (at most a minute);
   * one that echoes a nonce, or an error status, is never stored.
   */
  private static void answer(Exchange ex, OcspReply reply) {
    long maxAge = Math.min(60, reply.maxAge().toSeconds());
    ex.response
        .getHeaders()
        .put(
            HttpHeader.CACHE_CONTROL,
            reply.shareable() ? "max-age=" + maxAge + ", public, no-transform" : "no-store");
    ex.send(200, TYPE, reply.der());
  }
}
