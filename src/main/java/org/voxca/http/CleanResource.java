package org.voxca.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.voxca.ca.CertificateAuthority;

/** {@code PUT clean} with {@code {"certnames": [...]}}: revoke, then delete. */
final class CleanResource {
  private final CertificateAuthority ca;

  CleanResource(CertificateAuthority ca) {
    this.ca = ca;
  }

  void put(Exchange ex, String ignored) throws Exception {
    JsonNode body = Json.parse(ex.body());
    if (body == null || !body.isObject()) {
      ex.text(400, Exchange.TEXT, "Request body is not JSON.");
      return;
    }
    if (body.path("async").asBoolean(false)) {
      ex.text(400, Exchange.TEXT, "Async mode is not currently supported.");
      return;
    }
    JsonNode names = body.get("certnames");
    if (names == null || !names.isArray()) {
      ex.text(
          400,
          Exchange.TEXT,
          "Missing required key: 'certnames'. Please supply the list of"
              + " certs you want to clean.");
      return;
    }
    List<String> list = new ArrayList<>();
    for (JsonNode n : names) {
      list.add(n.asText());
    }
    List<String> missing = ca.clean(list);
    if (missing.isEmpty()) {
      ex.text(200, Exchange.TEXT, "Successfully cleaned all certs.");
      return;
    }
    StringBuilder sb = new StringBuilder();
    for (String m : missing) {
      sb.append(sb.length() == 0 ? "" : " ").append('"').append(m).append('"');
    }
    ex.text(
        200, Exchange.TEXT, "The following certs do not exist and cannot be revoked: [" + sb + "]");
  }
}
