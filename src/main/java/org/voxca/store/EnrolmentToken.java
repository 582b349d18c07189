package org.voxca.store;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One enrolment token as a store keeps it: never the secret, only its SHA-256 ({@code hash}), with
 * what it allows — one certname or one glob of names, the Puppet extensions a CSR may request with
 * it (short name or OID to the one value allowed) — how long and how often.
 *
 * @param id the public handle an operator lists and revokes by: the head of {@code hash}
 */
public record EnrolmentToken(
    String id,
    String hash,
    String certname,
    String glob,
    Map<String, String> extensions,
    Instant created,
    Instant notAfter,
    int uses,
    int used,
    boolean revoked) {

  public EnrolmentToken {
    if ((certname == null) == (glob == null)) {
      throw new IllegalArgumentException("a token is bound to a certname or to a glob, not both");
    }
    if (!hash.matches("[0-9a-f]{64}") || !id.equals(idOf(hash))) {
      throw new IllegalArgumentException(
          "a token's hash is SHA-256 hex and its id that hash's head");
    }
    extensions = Map.copyOf(extensions);
  }

  /** The public id of the token whose secret hashes to {@code hash}: its first 16 hex digits. */
  public static String idOf(String hash) {
    return hash.substring(0, 16);
  }

  /** Revoked, used up or expired at {@code now}. */
  public boolean usableAt(Instant now) {
    return !revoked && used < uses && now.isBefore(notAfter);
  }

  public EnrolmentToken withOneMoreUse() {
    return withCounts(used + 1, revoked);
  }

  public EnrolmentToken asRevoked() {
    return withCounts(used, true);
  }

  /** The same token with these uses taken and this revocation state. */
  public EnrolmentToken withCounts(int used, boolean revoked) {
    return new EnrolmentToken(
        id, hash, certname, glob, extensions, created, notAfter, uses, used, revoked);
  }

  /** SHA-256 of a text, in lower-case hex: how a token's secret (or a claim's key) is kept. */
  public static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One {@code key=value} line per field, values URL-encoded: how a store may keep it as text. */
  public String toText() {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("id", id);
    f.put("hash", hash);
    if (certname != null) {
      f.put("certname", certname);
    } else {
      f.put("glob", glob);
    }
    new TreeMap<>(extensions).forEach((k, v) -> f.put("extension." + k, v));
    f.put("created", created.toString());
    f.put("not_after", notAfter.toString());
    f.put("uses", Integer.toString(uses));
    f.put("used", Integer.toString(used));
    f.put("revoked", Boolean.toString(revoked));
    StringBuilder out = new StringBuilder();
    f.forEach(
        (k, v) ->
            out.append(k)
                .append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8))
                .append('\n'));
    return out.toString();
  }

  /** Reads {@link #toText()}; a missing field is an {@link IllegalArgumentException}. */
  public static EnrolmentToken fromText(String text) {
    Map<String, String> f = new LinkedHashMap<>();
    Map<String, String> ext = new TreeMap<>();
    for (String line : text.split("\n")) {
      int eq = line.indexOf('=');
      if (eq < 1) {
        continue;
      }
      String key = line.substring(0, eq);
      String value = URLDecoder.decode(line.substring(eq + 1), StandardCharsets.UTF_8);
      if (key.startsWith("extension.")) {
        ext.put(key.substring("extension.".length()), value);
      } else {
        f.put(key, value);
      }
    }
    try {
      return new EnrolmentToken(
          required(f, "id"),
          required(f, "hash"),
          f.get("certname"),
          f.get("glob"),
          ext,
          Instant.parse(required(f, "created")),
          Instant.parse(required(f, "not_after")),
          Integer.parseInt(required(f, "uses")),
          Integer.parseInt(required(f, "used")),
          Boolean.parseBoolean(required(f, "revoked")));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("unreadable enrolment token record: " + e.getMessage(), e);
    }
  }

  private static String required(Map<String, String> f, String key) {
    String v = f.get(key);
    if (v == null) {
      throw new IllegalArgumentException("no " + key);
    }
    return v;
  }
}
