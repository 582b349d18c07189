package org.voxca.http;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One rule of Puppet's auth.conf (trapperkeeper-authorization, version 1): what requests it matches
 * (path prefix or regex, methods, query parameters) and who it lets in.
 */
record AuthRule(
    String name,
    int sortOrder,
    String path,
    Pattern regex,
    Set<String> methods,
    Map<String, List<String>> queryParams,
    boolean allowUnauthenticated,
    List<Principal> allow,
    List<Principal> deny) {

  /**
   * The path captures when the rule matches the request ({@code method} in lower case), or null.
   */
  List<String> match(String method, String decodedPath, Map<String, List<String>> query) {
    if (!methods.isEmpty() && !methods.contains(method)) {
      return null;
    }
    for (Map.Entry<String, List<String>> q : queryParams.entrySet()) {
      List<String> got = query.getOrDefault(q.getKey(), List.of());
      if (got.stream().noneMatch(q.getValue()::contains)) {
        return null;
      }
    }
    if (regex == null) {
      return decodedPath.startsWith(path) ? List.of() : null;
    }
    Matcher m = regex.matcher(decodedPath);
    if (!m.find()) {
      return null;
    }
    String[] groups = new String[m.groupCount()];
    for (int i = 0; i < groups.length; i++) {
      groups[i] = m.group(i + 1) == null ? "" : m.group(i + 1);
    }
    return List.of(groups);
  }

  /** True when the identity is allowed by this (matching) rule. */
  boolean permits(ClientIdentity id, List<String> captures) {
    if (allowUnauthenticated) {
      return !id.revoked();
    }
    if (!id.authenticated()) {
      return false;
    }
    for (Principal p : deny) {
      if (p.matches(id, captures)) {
        return false;
      }
    }
    for (Principal p : allow) {
      if (p.matches(id, captures)) {
        return true;
      }
    }
    return false;
  }

  /** An entry of {@code allow} or {@code deny}. */
  sealed interface Principal permits Name, Extensions {
    boolean matches(ClientIdentity id, List<String> captures);
  }

  /**
   * A certname pattern: {@code *} (anyone authenticated), {@code *.domain} (names under the
   * domain), {@code /regex/}, or an exact name; {@code $1}… are replaced by the path's regex
   * captures first.
   */
  record Name(String pattern, Pattern regex) implements Principal {
    Name(String pattern) {
      this(
          pattern,
          isRegex(pattern) && pattern.indexOf('$') < 0
              ? Pattern.compile(pattern.substring(1, pattern.length() - 1))
              : null);
    }

    static boolean isRegex(String p) {
      return p.length() > 2 && p.startsWith("/") && p.endsWith("/");
    }

    @Override
    public boolean matches(ClientIdentity id, List<String> captures) {
      String name = id.certname();
      if (regex != null) {
        return regex.matcher(name).find();
      }
      String p = substitute(pattern, captures);
      if (p.equals("*")) {
        return true;
      }
      if (isRegex(p)) {
        return Pattern.compile(p.substring(1, p.length() - 1)).matcher(name).find();
      }
      if (p.startsWith("*.")) {
        return name.toLowerCase(Locale.ROOT).endsWith(p.substring(1).toLowerCase(Locale.ROOT));
      }
      return p.equals(name);
    }
  }

  /**
   * {@code {extensions: {<short name or OID>: value | [values]}}}: every listed extension must
   * match.
   */
  record Extensions(Map<String, List<String>> byOid) implements Principal {
    @Override
    public boolean matches(ClientIdentity id, List<String> captures) {
      if (id.certificate() == null) {
        return false;
      }
      for (Map.Entry<String, List<String>> e : byOid.entrySet()) {
        String v = id.extension(e.getKey());
        if (v == null
            || e.getValue().stream().map(x -> substitute(x, captures)).noneMatch(v::equals)) {
          return false;
        }
      }
      return true;
    }
  }

  static String substitute(String s, List<String> captures) {
    if (s.indexOf('$') < 0 || captures.isEmpty()) {
      return s;
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '$' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1))) {
        int n = s.charAt(++i) - '0';
        out.append(n >= 1 && n <= captures.size() ? captures.get(n - 1) : "");
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
