package org.voxca.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.voxca.ca.CaException;
import org.voxca.ca.CertStatus;
import org.voxca.ca.CertificateAuthority;
import org.voxca.ca.SignResult;

/**
 * The operator's endpoints (spec §2.5–§2.8, §2.10): certificate_status GET and DELETE,
 * certificate_statuses, sign, sign/all, clean and expirations, with Puppet's JSON shapes and texts.
 */
final class AdminEndpoints {
  static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'UTC'").withZone(ZoneOffset.UTC);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final com.fasterxml.jackson.databind.ObjectWriter ENTRY =
      JSON.writer().without(com.fasterxml.jackson.databind.SerializationFeature.FLUSH_AFTER_WRITE_VALUE);
  private final CertificateAuthority ca;

  AdminEndpoints(CertificateAuthority ca) {
    this.ca = ca;
  }

  void status(Exchange ex, String name) throws Exception {
    if (!CertificateStatusEndpoints.acceptable(ex.header(HttpHeader.ACCEPT))) {
      ex.text(406, Exchange.TEXT, "No acceptable resource available.");
      return;
    }
    CertStatus s = ca.status(name).orElse(null);
    if (s == null) {
      ex.text(404, Exchange.TEXT, "Resource not found.");
      return;
    }
    ex.text(200, Exchange.JSON, JSON.writeValueAsString(json(s)));
  }

  void delete(Exchange ex, String name) {
    try {
      ca.deleteFiles(name);
      ex.empty(204, null);
    } catch (CaException e) {
      ex.text(HttpErrors.status(e), Exchange.TEXT, e.getMessage());
    }
  }

  void statuses(Exchange ex, String key) throws Exception {
    if (key == null) {
      if (!ex.path.trailingSlash()) {
        ex.text(404, "text/html; charset=utf-8", "Not Found");
        return;
      }
      ex.text(400, Exchange.TEXT_UTF8, "Missing URL Segment");
      return;
    }
    if (!CertificateStatusEndpoints.acceptable(ex.header(HttpHeader.ACCEPT))) {
      ex.text(406, Exchange.TEXT, "No acceptable resource available.");
      return;
    }
    Instant before = null;
    String eb = ex.param("expiring_before");
    if (eb != null) {
      before = instant(eb);
      if (before == null) {
        ex.text(400, Exchange.TEXT_UTF8, "Invalid expiring_before: '" + eb
            + "' (use 2027-01-31, 2027-01-31T12:00:00Z or 2027-01-31T12:00:00UTC)");
        return;
      }
    }
    Instant expiring = before;
    ex.stream(200, Exchange.JSON, out -> {
      try (com.fasterxml.jackson.core.JsonGenerator g = JSON.getFactory().createGenerator(out)) {
        g.writeStartArray();
        ca.eachStatus(ex.param("state"), ex.param("name"), expiring, s -> {
          try {
            ENTRY.writeValue(g, json(s));
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
        g.writeEndArray();
      }
    });
  }

  void sign(Exchange ex, String ignored) throws Exception {
    JsonNode body = parse(ex.body());
    JsonNode names = body == null ? null : body.get("certnames");
    List<String> list = new ArrayList<>();
    String error = null;
    if (names == null || !names.isArray()) {
      error = names == null ? "(not (sequential? nil))" : "(not (sequential? " + names + "))";
    } else {
      for (JsonNode n : names) {
        if (!n.isTextual()) {
          error = "[(not (instance? java.lang.String " + n + "))]";
          break;
        }
        if (!org.voxca.ca.NameRules.pathSafe(n.asText())) {
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
      ex.text(422, Exchange.JSON, JSON.writeValueAsString(m));
      return;
    }
    signResult(ex, ca.signMany(list));
  }

  void signAll(Exchange ex, String ignored) throws Exception {
    signResult(ex, ca.signAll());
  }

  private static void signResult(Exchange ex, SignResult r) throws Exception {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("signed", r.signed());
    m.put("no-csr", r.noCsr());
    m.put("signing-errors", r.signingErrors());
    ex.text(200, Exchange.JSON, JSON.writeValueAsString(m));
  }

  void clean(Exchange ex, String ignored) throws Exception {
    JsonNode body = parse(ex.body());
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
      ex.text(400, Exchange.TEXT, "Missing required key: 'certnames'. Please supply the list of certs you want to clean.");
      return;
    }
    List<String> list = new ArrayList<>();
    for (JsonNode n : names) {
      list.add(n.asText());
    }
    try {
      List<String> missing = ca.clean(list);
      if (missing.isEmpty()) {
        ex.text(200, Exchange.TEXT, "Successfully cleaned all certs.");
      } else {
        StringBuilder sb = new StringBuilder();
        for (String m : missing) {
          sb.append(sb.length() == 0 ? "" : " ").append('"').append(m).append('"');
        }
        ex.text(200, Exchange.TEXT, "The following certs do not exist and cannot be revoked: [" + sb + "]");
      }
    } catch (CaException e) {
      ex.text(HttpErrors.status(e), Exchange.TEXT, e.getMessage());
    }
  }

  void expirations(Exchange ex, String ignored) throws Exception {
    Map<String, Object> out = new LinkedHashMap<>();
    ca.expirations().forEach((k, v) -> {
      Map<String, String> m = new LinkedHashMap<>();
      v.forEach((cn, t) -> m.put(cn, date(t)));
      out.put(k, m);
    });
    ex.text(200, Exchange.JSON, JSON.writeValueAsString(out));
  }

  static Map<String, Object> json(CertStatus s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", s.name());
    m.put("state", s.state());
    m.put("fingerprint", s.fingerprints().get("SHA256"));
    m.put("fingerprints", s.fingerprints());
    m.put("dns_alt_names", s.dnsAltNames());
    m.put("subject_alt_names", s.subjectAltNames());
    m.put("authorization_extensions", s.authorizationExtensions());
    if (s.serialNumber() != null) {
      m.put("serial_number", s.serialNumber());
      m.put("not_before", date(s.notBefore()));
      m.put("not_after", date(s.notAfter()));
    }
    return m;
  }

  static Instant instant(String s) {
    try {
      if (s.matches("\\d{4}-\\d\\d-\\d\\d")) {
        return java.time.LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
      }
      if (s.endsWith("UTC")) {
        return Instant.from(DATE.parse(s));
      }
      return Instant.parse(s);
    } catch (java.time.DateTimeException e) {
      return null;
    }
  }

  private static String date(Instant t) {
    return t == null || t.equals(Instant.MAX) ? null : DATE.format(t);
  }

  private static JsonNode parse(byte[] body) {
    try {
      return body.length == 0 ? null : JSON.readTree(new String(body, StandardCharsets.UTF_8));
    } catch (Exception e) {
      return null;
    }
  }
}
