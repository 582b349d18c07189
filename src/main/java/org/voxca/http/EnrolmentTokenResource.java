package org.voxca.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.voxca.ca.CertificateAuthority;
import org.voxca.ca.autosign.AutosignDecision;
import org.voxca.ca.autosign.NewToken;
import org.voxca.ca.autosign.TokenInfo;
import org.voxca.ca.autosign.TokenSpec;

/**
 * voxca's enrolment tokens and autosign dry run (admin only): {@code POST
 * /voxca/v1/enrolment_tokens} with {@code {"certname" | "glob", "ttl": seconds, "uses",
 * "extensions": {"pp_role": "web"}}} answers the secret once; {@code GET} lists every token without
 * secrets; {@code DELETE /voxca/v1/enrolment_tokens/<id>} revokes one; {@code POST
 * /voxca/v1/autosign_check} with a CSR answers what autosigning would decide, changing nothing.
 */
final class EnrolmentTokenResource {
  private final CertificateAuthority ca;

  EnrolmentTokenResource(CertificateAuthority ca) {
    this.ca = ca;
  }

  void create(Exchange ex, String ignored) {
    JsonNode body = Json.parse(ex.body());
    if (body == null || !body.isObject()) {
      ex.text(400, Exchange.TEXT_UTF8, "Expected a JSON object: {\"certname\": ..., \"ttl\": ...}");
      return;
    }
    Map<String, String> extensions = new LinkedHashMap<>();
    body.path("extensions")
        .fields()
        .forEachRemaining(e -> extensions.put(e.getKey(), e.getValue().asText()));
    NewToken made;
    try {
      made =
          ca.tokens()
              .create(
                  new TokenSpec(
                      text(body, "certname"),
                      text(body, "glob"),
                      Duration.ofSeconds(body.path("ttl").asLong(3600)),
                      body.path("uses").asInt(1),
                      extensions));
    } catch (IllegalArgumentException e) {
      ex.text(400, Exchange.TEXT_UTF8, e.getMessage());
      return;
    }
    Map<String, Object> out = view(made.token());
    out.put("token", made.secret());
    ex.text(200, Exchange.JSON, Json.write(out));
  }

  void list(Exchange ex, String ignored) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (TokenInfo t : ca.tokens().list()) {
      out.add(view(t));
    }
    ex.text(200, Exchange.JSON, Json.write(out));
  }

  void revoke(Exchange ex, String id) {
    if (ca.tokens().revoke(id)) {
      ex.empty(204, Exchange.TEXT_UTF8);
    } else {
      ex.text(404, Exchange.TEXT_UTF8, "No enrolment token " + id);
    }
  }

  void check(Exchange ex, String ignored) {
    AutosignDecision d = ca.autosignCheck(ex.body());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("autosign", d.sign());
    out.put("reason", d.reason());
    ex.text(200, Exchange.JSON, Json.write(out));
  }

  /** A token as an operator sees it. */
  static Map<String, Object> view(TokenInfo t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", t.id());
    if (t.certname() != null) {
      m.put("certname", t.certname());
    } else {
      m.put("glob", t.glob());
    }
    m.put("extensions", t.extensions());
    m.put("created", t.created().toString());
    m.put("not_after", t.notAfter().toString());
    m.put("uses", t.uses());
    m.put("used", t.used());
    m.put("state", t.state());
    return m;
  }

  private static String text(JsonNode body, String field) {
    JsonNode v = body.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
