package org.voxca.http;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.voxca.pki.PuppetOids;

/**
 * Reads the rules of Puppet Server's auth.conf (HOCON {@code authorization.rules}, already turned
 * into plain maps and lists). Refuses, with one line naming the rule and the problem: duplicate
 * names, unknown keys, {@code allow-unauthenticated} combined with allow/deny, bad regexes, bad
 * methods, a rule that lets nobody in.
 */
final class AuthConf {
  private static final Set<String> RULE_KEYS =
      Set.of("match-request", "allow", "deny", "allow-unauthenticated", "sort-order", "name");
  private static final Set<String> MATCH_KEYS = Set.of("path", "type", "method", "query-params");
  private static final Set<String> METHODS = Set.of("get", "post", "put", "delete", "head");

  private AuthConf() {}

  /** A refused auth.conf. */
  static final class Invalid extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    Invalid(String rule, String problem) {
      super("auth.conf rule '" + rule + "': " + problem);
    }
  }

  static List<AuthRule> parse(
      List<Map<String, Object>> rules, Map<String, String> extraShortNames) {
    Map<String, String> shortToOid = new HashMap<>();
    PuppetOids.shortNames().forEach((oid, s) -> shortToOid.put(s, oid));
    extraShortNames.forEach((oid, s) -> shortToOid.put(s, oid));
    Set<String> names = new HashSet<>();
    List<AuthRule> out = new ArrayList<>();
    int index = 0;
    for (Map<String, Object> r : rules) {
      index++;
      String name = r.get("name") instanceof String s ? s : null;
      String label = name != null ? name : "#" + index;
      if (name == null || name.isBlank()) {
        throw new Invalid(label, "a rule needs a name");
      }
      if (!names.add(name)) {
        throw new Invalid(label, "duplicate rule name");
      }
      for (String k : r.keySet()) {
        if (!RULE_KEYS.contains(k)) {
          throw new Invalid(label, "unknown key '" + k + "'");
        }
      }
      out.add(rule(label, r, shortToOid));
    }
    return out;
  }

  private static AuthRule rule(String name, Map<String, Object> r, Map<String, String> shortToOid) {
    if (!(r.get("match-request") instanceof Map<?, ?> m)) {
      throw new Invalid(name, "match-request is required");
    }
    for (Object k : m.keySet()) {
      if (!MATCH_KEYS.contains(String.valueOf(k))) {
        throw new Invalid(name, "unknown key 'match-request." + k + "'");
      }
    }
    if (!(m.get("path") instanceof String path) || path.isEmpty()) {
      throw new Invalid(name, "match-request.path is required");
    }
    String type = m.get("type") == null ? "path" : String.valueOf(m.get("type"));
    Pattern regex = null;
    if (type.equals("regex")) {
      try {
        regex = Pattern.compile(path);
      } catch (PatternSyntaxException e) {
        throw new Invalid(name, "bad regex '" + path + "': " + e.getDescription());
      }
    } else if (!type.equals("path")) {
      throw new Invalid(name, "match-request.type must be path or regex, not '" + type + "'");
    }
    Set<String> methods = new HashSet<>();
    for (String meth : strings(name, "match-request.method", m.get("method"))) {
      String lower = meth.toLowerCase(Locale.ROOT);
      if (!METHODS.contains(lower)) {
        throw new Invalid(name, "unknown method '" + meth + "'");
      }
      methods.add(lower);
    }
    Map<String, List<String>> query = new LinkedHashMap<>();
    if (m.get("query-params") instanceof Map<?, ?> qp) {
      qp.forEach((k, v) -> query.put(String.valueOf(k), strings(name, "query-params." + k, v)));
    } else if (m.get("query-params") != null) {
      throw new Invalid(name, "query-params must be a map");
    }
    boolean open =
        Boolean.TRUE.equals(r.get("allow-unauthenticated"))
            || "true".equals(String.valueOf(r.get("allow-unauthenticated")));
    if (open && (r.containsKey("allow") || r.containsKey("deny"))) {
      throw new Invalid(name, "allow-unauthenticated cannot be combined with allow or deny");
    }
    List<AuthRule.Principal> allow = principals(name, "allow", r.get("allow"), shortToOid);
    List<AuthRule.Principal> deny = principals(name, "deny", r.get("deny"), shortToOid);
    if (!open && !r.containsKey("allow") && !r.containsKey("deny")) {
      throw new Invalid(name, "needs allow, deny or allow-unauthenticated");
    }
    int sortOrder;
    try {
      sortOrder =
          r.get("sort-order") == null ? 500 : Integer.parseInt(String.valueOf(r.get("sort-order")));
    } catch (NumberFormatException e) {
      throw new Invalid(name, "sort-order must be an integer");
    }
    if (sortOrder < 1 || sortOrder > 999) {
      throw new Invalid(name, "sort-order must be between 1 and 999");
    }
    return new AuthRule(
        name,
        sortOrder,
        type.equals("path") ? path : null,
        regex,
        methods,
        query,
        open,
        allow,
        deny);
  }

  private static List<AuthRule.Principal> principals(
      String rule, String key, Object v, Map<String, String> shortToOid) {
    List<AuthRule.Principal> out = new ArrayList<>();
    if (v == null) {
      return out;
    }
    List<?> items = v instanceof List<?> l ? l : List.of(v);
    for (Object item : items) {
      if (item instanceof String s) {
        out.add(name(rule, s));
      } else if (item instanceof Map<?, ?> map) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
          String k = String.valueOf(e.getKey());
          if (k.equals("certname")) {
            out.add(name(rule, String.valueOf(e.getValue())));
          } else if (k.equals("extensions") && e.getValue() instanceof Map<?, ?> ext) {
            Map<String, List<String>> byOid = new LinkedHashMap<>();
            ext.forEach(
                (ek, ev) -> {
                  String shortName = String.valueOf(ek);
                  String oid = shortToOid.getOrDefault(shortName, shortName);
                  if (!oid.matches("\\d+(\\.\\d+)+")) {
                    throw new Invalid(rule, "unknown extension short name '" + shortName + "'");
                  }
                  byOid.put(oid, strings(rule, key + ".extensions." + shortName, ev));
                });
            out.add(new AuthRule.Extensions(byOid));
          } else {
            throw new Invalid(rule, "unknown key '" + key + "." + k + "'");
          }
        }
      } else {
        throw new Invalid(rule, key + " entries must be strings or maps");
      }
    }
    return out;
  }

  private static AuthRule.Name name(String rule, String s) {
    try {
      return new AuthRule.Name(s);
    } catch (PatternSyntaxException e) {
      throw new Invalid(rule, "bad regex '" + s + "': " + e.getDescription());
    }
  }

  private static List<String> strings(String rule, String key, Object v) {
    if (v == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (Object o : v instanceof List<?> l ? l : List.of(v)) {
      if (o instanceof Map<?, ?> || o instanceof List<?>) {
        throw new Invalid(rule, key + " must be a string or a list of strings");
      }
      out.add(String.valueOf(o));
    }
    return out;
  }
}
