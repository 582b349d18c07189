package org.voxca.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code docs/openapi.yaml}, read as a test oracle: finds the operation a request hit, and checks a
 * real answer against it — the status is documented, the content type is one the document lists, a
 * JSON body fits its schema (type, properties, required, additionalProperties, items, enum,
 * minimum, $ref: the subset the document uses). Remembers which operations were checked.
 */
public final class OpenApi {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();
  private final JsonNode doc;
  private final Set<String> checked = new TreeSet<>();

  public OpenApi(Path file) {
    try {
      doc = YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every operation of the document, as "METHOD /path/{param}". */
  public Set<String> operations() {
    Set<String> out = new TreeSet<>();
    doc.get("paths")
        .fields()
        .forEachRemaining(
            p ->
                p.getValue()
                    .fieldNames()
                    .forEachRemaining(m -> out.add(m.toUpperCase(Locale.ROOT) + " " + p.getKey())));
    return out;
  }

  public Set<String> checked() {
    return checked;
  }

  /** Problems of one answer against the document (empty when it conforms). */
  public List<String> check(String method, String rawPath, HttpResponse<String> r) {
    String path = rawPath.split("\\?")[0];
    List<String> problems = new ArrayList<>();
    String template = template(path);
    if (template == null && path.endsWith("/")) {
      template =
          template(path.substring(0, path.length() - 1)); // a key-less route's trailing slash
    }
    String where = method + " " + path + " -> " + r.statusCode();
    JsonNode op =
        template == null
            ? null
            : doc.get("paths").get(template).get(method.toLowerCase(Locale.ROOT));
    if (op == null) {
      problems.add(where + ": no such operation in the document");
      return problems;
    }
    checked.add(method + " " + template);
    JsonNode resp = resolve(op.path("responses").get(Integer.toString(r.statusCode())));
    if (resp == null) {
      problems.add(where + ": status not documented");
      return problems;
    }
    JsonNode content = resp.get("content");
    String type = r.headers().firstValue("Content-Type").orElse("");
    String media = type.split(";")[0].trim();
    if (content == null) {
      if (!r.body().isEmpty()) {
        problems.add(where + ": documented without a body, but has one");
      }
      return problems;
    }
    if (!content.has(media)) {
      problems.add(where + ": content type '" + type + "' not in " + names(content));
      return problems;
    }
    if (media.equals("application/json")) {
      try {
        validate(JSON.readTree(r.body()), content.get(media).get("schema"), "$", problems);
      } catch (IOException e) {
        problems.add(where + ": not JSON: " + e.getMessage());
      }
    }
    problems.replaceAll(p -> p.startsWith(method) ? p : where + ": " + p);
    return problems;
  }

  private String template(String path) {
    String[] want = path.split("/", -1);
    String best = null;
    int bestLiterals = -1;
    for (Iterator<String> it = doc.get("paths").fieldNames(); it.hasNext(); ) {
      String t = it.next();
      String[] seg = t.split("/", -1);
      if (seg.length != want.length) {
        continue;
      }
      int literals = 0;
      boolean ok = true;
      for (int i = 0; i < seg.length && ok; i++) {
        if (seg[i].startsWith("{")) {
          ok = !want[i].isEmpty();
        } else {
          ok = seg[i].equals(want[i]);
          literals++;
        }
      }
      if (ok && literals > bestLiterals) {
        best = t;
        bestLiterals = literals;
      }
    }
    return best;
  }

  private JsonNode resolve(JsonNode n) {
    while (n != null && n.has("$ref")) {
      JsonNode target = doc;
      for (String part : n.get("$ref").asText().substring(2).split("/")) {
        target = target.get(part);
      }
      n = target;
    }
    return n;
  }

  private void validate(JsonNode v, JsonNode schema, String at, List<String> problems) {
    schema = resolve(schema);
    if (schema == null) {
      return;
    }
    String type = schema.path("type").asText("");
    boolean typeOk =
        switch (type) {
          case "object" -> v.isObject();
          case "array" -> v.isArray();
          case "string" -> v.isTextual();
          case "integer" -> v.isIntegralNumber();
          case "boolean" -> v.isBoolean();
          default -> true;
        };
    if (!typeOk) {
      problems.add(at + " is " + v.getNodeType() + ", not " + type);
      return;
    }
    if (schema.has("enum")) {
      boolean listed = false;
      for (JsonNode e : schema.get("enum")) {
        listed |= e.equals(v);
      }
      if (!listed) {
        problems.add(at + " = " + v + " is not one of " + schema.get("enum"));
      }
    }
    if (schema.has("minimum") && v.isNumber() && v.asDouble() < schema.get("minimum").asDouble()) {
      problems.add(at + " = " + v + " is below " + schema.get("minimum"));
    }
    if (v.isArray() && schema.has("items")) {
      for (int i = 0; i < v.size(); i++) {
        validate(v.get(i), schema.get("items"), at + "[" + i + "]", problems);
      }
    }
    if (v.isObject()) {
      JsonNode props = schema.path("properties");
      for (JsonNode req : schema.path("required")) {
        if (!v.has(req.asText())) {
          problems.add(at + " lacks required '" + req.asText() + "'");
        }
      }
      for (Map.Entry<String, JsonNode> f : iterable(v.fields())) {
        String at2 = at + "." + f.getKey();
        if (props.has(f.getKey())) {
          validate(f.getValue(), props.get(f.getKey()), at2, problems);
        } else if (schema.has("additionalProperties")) {
          JsonNode extra = schema.get("additionalProperties");
          if (extra.isBoolean() && !extra.asBoolean()) {
            problems.add(at + " has undocumented '" + f.getKey() + "'");
          } else if (extra.isObject()) {
            validate(f.getValue(), extra, at2, problems);
          }
        }
      }
    }
  }

  private static <T> Iterable<T> iterable(Iterator<T> it) {
    return () -> it;
  }

  private static List<String> names(JsonNode obj) {
    List<String> out = new ArrayList<>();
    obj.fieldNames().forEachRemaining(out::add);
    return out;
  }
}
