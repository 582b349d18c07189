package org.voxca.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.voxca.ca.CertificateAuthority;

/**
 * {@code PUT certificate_status/<name>} with {@code {"desired_state": "signed"|"revoked",
 * "cert_ttl": seconds}} (spec §2.5): 204 on success; Puppet's 400, 404, 409, 415 and 406 texts.
 */
final class CertificateStatusEndpoints {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> MEDIA = Set.of("application/json", "text/pson", "pson");
  private final CertificateAuthority ca;

  CertificateStatusEndpoints(CertificateAuthority ca) {
    this.ca = ca;
  }

  void put(Exchange ex, String name) throws Exception {
    if (!acceptable(ex.header(HttpHeader.ACCEPT))) {
      ex.text(406, Exchange.TEXT, "No acceptable resource available.");
      return;
    }
    String ct = ex.header(HttpHeader.CONTENT_TYPE);
    if (ct != null && !ct.isBlank() && !MEDIA.contains(ct.split(";")[0].trim().toLowerCase(Locale.ROOT))) {
      ex.text(415, Exchange.TEXT, "Unsupported media type.");
      return;
    }
    byte[] body = ex.body();
    if (body.length == 0) {
      ex.text(400, Exchange.TEXT_UTF8, "Empty request body.");
      return;
    }
    JsonNode json;
    try {
      json = JSON.readTree(new String(body, StandardCharsets.UTF_8));
    } catch (Exception e) {
      json = null;
    }
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
      ex.text(400, Exchange.TEXT_UTF8, "State " + desired
          + " invalid; Must specify desired state of 'signed' or 'revoked' for host " + name + ".");
      return;
    }
    Duration ttl = null;
    JsonNode ttlNode = json.get("cert_ttl");
    if (ttlNode != null && !ttlNode.isNull()) {
      if (!ttlNode.isIntegralNumber() || !ttlNode.canConvertToLong()) {
        String v = ttlNode.isTextual() ? ttlNode.asText() : ttlNode.toString();
        ex.text(400, Exchange.TEXT_UTF8, "cert_ttl specified for host " + name + " must be an integer, not \"" + v + "\"");
        return;
      }
      if (ttlNode.asLong() <= 0) {
        ex.text(400, Exchange.TEXT_UTF8, "cert_ttl specified for host " + name + " must be greater than zero, not " + ttlNode.asLong());
        return;
      }
      ttl = Duration.ofSeconds(ttlNode.asLong());
    }
    if (desired.equals("signed")) {
      ca.sign(name, ttl);
    } else {
      ca.revoke(name);
    }
    ex.empty(204, Exchange.TEXT);
  }

  static boolean acceptable(String accept) {
    if (accept == null || accept.isBlank()) {
      return true;
    }
    for (String part : accept.split(",")) {
      String t = part.split(";")[0].trim().toLowerCase(Locale.ROOT);
      if (t.equals("*/*") || t.equals("application/*") || MEDIA.contains(t)) {
        return true;
      }
    }
    return false;
  }
}
