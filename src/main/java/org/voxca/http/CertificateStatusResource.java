package org.voxca.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.eclipse.jetty.http.HttpHeader;
import org.voxca.ca.CertStatus;
import org.voxca.ca.CertificateAuthority;

/**
 * {@code certificate_status/<name>}: GET the status as JSON, PUT {@code {"desired_state":
 * "signed"|"revoked", "cert_ttl": seconds}} (204), DELETE the name's files (204), with Puppet's
 * 400, 404, 406, 409 and 415 texts.
 */
final class CertificateStatusResource {
  private final CertificateAuthority ca;

  CertificateStatusResource(CertificateAuthority ca) {
    this.ca = ca;
  }

  void get(Exchange ex, String name) throws Exception {
    if (!Json.acceptable(ex.header(HttpHeader.ACCEPT))) {
      ex.text(406, Exchange.TEXT, "No acceptable resource available.");
      return;
    }
    CertStatus s = ca.status(name).orElse(null);
    if (s == null) {
      ex.text(404, Exchange.TEXT, "Resource not found.");
      return;
    }
    ex.text(200, Json.responseType(ex.header(HttpHeader.ACCEPT)), Json.status(s));
  }

  void delete(Exchange ex, String name) {
    ca.deleteFiles(name);
    ex.empty(204, null);
  }

  void put(Exchange ex, String name) throws Exception {
    if (!Json.acceptable(ex.header(HttpHeader.ACCEPT))) {
      ex.text(406, Exchange.TEXT, "No acceptable resource available.");
      return;
    }
    if (!Json.jsonContent(ex.header(HttpHeader.CONTENT_TYPE))) {
      ex.text(415, Exchange.TEXT, "Unsupported media type.");
      return;
    }
    byte[] body = ex.body();
    if (body.length == 0) {
      ex.text(400, Exchange.TEXT_UTF8, "Empty request body.");
      return;
    }
    JsonNode json = Json.parse(body);
    if (json == null || !json.isObject()) {
      ex.text(400, Exchange.TEXT_UTF8, "Request body is not JSON.");
      return;
    }
    JsonNode state = json.get("desired_state");
    if (state == null || state.isNull()) {
      ex.text(400, Exchange.TEXT_UTF8, "Missing required parameter \"desired_state\"");
      return;
    }
    String desired = state.isTextual() ? state.asText() : state.toString();
    if (!desired.equals("signed") && !desired.equals("revoked")) {
      ex.text(
          400,
          Exchange.TEXT_UTF8,
          "State "
              + desired
              + " invalid; Must specify desired state of 'signed' or 'revoked' for host "
              + name
              + ".");
      return;
    }
    JsonNode ttlNode = json.get("cert_ttl");
    String ttlError = ttlError(name, ttlNode);
    if (ttlError != null) {
      ex.text(400, Exchange.TEXT_UTF8, ttlError);
      return;
    }
    if (desired.equals("signed")) {
      boolean given = ttlNode != null && !ttlNode.isNull();
      ca.sign(name, given ? Duration.ofSeconds(ttlNode.asLong()) : null);
    } else {
      ca.revoke(name);
    }
    ex.empty(204, Exchange.TEXT);
  }

  /**
   * Puppet's refusal of a cert_ttl that is not a positive integer; null when it is fine or absent.
   */
  private static String ttlError(String name, JsonNode ttl) {
    if (ttl == null || ttl.isNull()) {
      return null;
    }
    String prefix = "cert_ttl specified for host " + name + " must be ";
    if (!ttl.isIntegralNumber() || !ttl.canConvertToLong()) {
      String v = ttl.isTextual() ? ttl.asText() : ttl.toString();
      return prefix + "an integer, not \"" + v + "\"";
    }
    if (ttl.asLong() <= 0) {
      return prefix + "greater than zero, not " + ttl.asLong();
    }
    return null;
  }
}
