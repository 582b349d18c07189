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
    java.io.StringWriter w = new java.io.StringWriter();
    try (com.fasterxml.jackson.core.JsonGenerator g = JSON.getFactory().createGenerator(w)) {
      write(g, s);
    }
    ex.text(200, Exchange.JSON, w.toString());
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
            write(g, s);
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

  /** One status object in Puppet's field order, written field by field (a listing writes 100,000). */
  static void write(com.fasterxml.jackson.core.JsonGenerator g, CertStatus s) throws java.io.IOException {
    g.writeStartObject();
    g.writeStringField("name", s.name());
    g.writeStringField("state", s.state());
    g.writeStringField("fingerprint", s.fingerprints().get("SHA256"));
    g.writeObjectFieldStart("fingerprints");
    for (Map.Entry<String, String> e : s.fingerprints().entrySet()) {
      g.writeStringField(e.getKey(), e.getValue());
    }
    g.writeEndObject();
    strings(g, "dns_alt_names", s.dnsAltNames());
    strings(g, "subject_alt_names", s.subjectAltNames());
    g.writeObjectFieldStart("authorization_extensions");
    for (Map.Entry<String, String> e : s.authorizationExtensions().entrySet()) {
      g.writeStringField(e.getKey(), e.getValue());
    }
    g.writeEndObject();
    if (s.serialNumber() != null) {
      g.writeFieldName("serial_number");
      g.writeNumber(s.serialNumber());
      g.writeStringField("not_before", date(s.notBefore()));
      g.writeStringField("not_after", date(s.notAfter()));
    }
    g.writeEndObject();
  }

  private static void strings(com.fasterxml.jackson.core.JsonGenerator g, String field, List<String> values)
      throws java.io.IOException {
    g.writeArrayFieldStart(field);
    for (String v : values) {
      g.writeString(v);
    }
    g.writeEndArray();
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

  /** {@code 2026-11-23T12:00:00UTC}, written by hand: a listing formats 200,000 of them. */
  static String date(Instant t) {
    if (t == null || t.equals(Instant.MAX)) {
      return null;
    }
    java.time.LocalDateTime d = java.time.LocalDateTime.ofEpochSecond(t.getEpochSecond(), 0, ZoneOffset.UTC);
    if (d.getYear() < 1000 || d.getYear() > 9999) {
      return DATE.format(t);
    }
    char[] c = "0000-00-00T00:00:00UTC".toCharArray();
    put(c, 0, d.getYear(), 4);
    put(c, 5, d.getMonthValue(), 2);
    put(c, 8, d.getDayOfMonth(), 2);
    put(c, 11, d.getHour(), 2);
    put(c, 14, d.getMinute(), 2);
    put(c, 17, d.getSecond(), 2);
    return new String(c);
  }

  private static void put(char[] c, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      c[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }

  private static JsonNode parse(byte[] body) {
    try {
      return body.length == 0 ? null : JSON.readTree(new String(body, StandardCharsets.UTF_8));
    } catch (Exception e) {
      return null;
    }
  }
}
