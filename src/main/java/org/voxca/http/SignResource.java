package org.voxca.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.voxca.ca.CertificateAuthority;
import org.voxca.ca.NameRules;
import org.voxca.ca.SignResult;

/**
 * {@code POST sign} with {@code {"certnames": [...]}} and {@code POST sign/all}: Puppet's three
 * lists; a schema violation is Puppet's 422 JSON.
 */
final class SignResource {
  private final CertificateAuthority ca;

  SignResource(CertificateAuthority ca) {
    this.ca = ca;
  }

  void sign(Exchange ex, String ignored) throws Exception {
    JsonNode body = Json.parse(ex.body());
    JsonNode names = body == null ? null : body.get("certnames");
    List<String> list = new ArrayList<>();
    String error = null;
    if (names == null || !names.isArray()) {
      error = "(not (sequential? " + (names == null ? "nil" : names) + "))";
    } else {
      for (JsonNode n : names) {
        if (!n.isTextual()) {
          error = "[(not (instance? java.lang.String " + n + "))]";
          break;
        }
        if (!NameRules.pathSafe(n.asText())) {
          error = "invalid certname: " + n.asText();
          break;
        }
        list.add(n.asText());
      }
    }
    if (error != null) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("kind", "schema-violation");
      m.put("submitted", names);
      m.put("error", error);
      ex.text(422, Exchange.JSON, Json.write(m));
      return;
    }
    result(ex, ca.signMany(list));
  }

  void signAll(Exchange ex, String ignored) {
    result(ex, ca.signAll());
  }

  private static void result(Exchange ex, SignResult r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("signed", r.signed());
    m.put("no-csr", r.noCsr());
    m.put("signing-errors", r.signingErrors());
    ex.text(200, Exchange.JSON, Json.write(m));
  }
}
