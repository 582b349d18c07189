package org.voxca.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.voxca.ca.CertStatus;

/** JSON as the CA API reads and writes it: one mapper, Puppet's status shape, media types. */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Set<String> MEDIA = Set.of("application/json", "text/pson", "pson");

  private Json() {}

  /** The body as JSON, or null when it is empty or not JSON. */
  static JsonNode parse(byte[] body) {
    try {
      return body.length == 0 ? null : MAPPER.readTree(new String(body, StandardCharsets.UTF_8));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  /** True when an Accept header admits JSON (Puppet's certificate_status media types). */
  static boolean acceptable(String accept) {
    if (accept == null || accept.isBlank()) {
      return true;
    }
    for (String part : accept.split(",")) {
      String t = mediaType(part);
      if (t.equals("*/*") || t.equals("application/*") || MEDIA.contains(t)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The media type of a JSON answer as Puppet Server negotiates it: the first of {@code
   * application/json}, {@code text/pson}, {@code pson} that the Accept header names, in the
   * client's order; {@code application/json} for a wildcard or no header.
   */
  static String responseType(String accept) {
    if (accept != null) {
      for (String part : accept.split(",")) {
        String t = mediaType(part);
        if (MEDIA.contains(t)) {
          return t;
        }
        if (t.equals("*/*") || t.equals("application/*")) {
          break;
        }
      }
    }
    return Exchange.JSON;
  }

  /** True when a Content-Type is absent or one of Puppet's JSON media types. */
  static boolean jsonContent(String contentType) {
    return contentType == null || contentType.isBlank() || MEDIA.contains(mediaType(contentType));
  }

  private static String mediaType(String header) {
    return header.split(";")[0].trim().toLowerCase(Locale.ROOT);
  }

  /** One status as a JSON text. */
  static String status(CertStatus s) throws IOException {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = MAPPER.getFactory().createGenerator(w)) {
      writeStatus(g, s);
    }
    return w.toString();
  }

  /**
   * One status object in Puppet's field order, written field by field (a listing writes 100,000).
   */
  static void writeStatus(JsonGenerator g, CertStatus s) throws IOException {
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
    if (s.pendingReason() != null) {
      g.writeStringField("voxca_pending_reason", s.pendingReason());
    }
    if (s.serialNumber() != null) {
      g.writeFieldName("serial_number");
      g.writeNumber(s.serialNumber());
      g.writeStringField("not_before", PuppetDates.format(s.notBefore()));
      g.writeStringField("not_after", PuppetDates.format(s.notAfter()));
    }
    g.writeEndObject();
  }

  private static void strings(JsonGenerator g, String field, List<String> values)
      throws IOException {
    g.writeArrayFieldStart(field);
    for (String v : values) {
      g.writeString(v);
    }
    g.writeEndArray();
  }
}
