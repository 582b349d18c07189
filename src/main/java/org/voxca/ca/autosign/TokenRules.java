package org.voxca.ca.autosign;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.voxca.pki.PuppetOids;

/** What a token may be made to allow; a refusal is an IllegalArgumentException naming the field. */
final class TokenRules {
  static final Duration MAX_TTL = Duration.ofDays(366);
  static final int MAX_USES = 1_000_000;
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9._-]{0,253}[a-z0-9])?");
  private static final Pattern GLOB =
      Pattern.compile("\\*|\\*\\.[a-z0-9]([a-z0-9.-]{0,250}[a-z0-9])?");
  private static final Pattern OID =
      Pattern.compile(Pattern.quote(PuppetOids.PUPPET) + "(\\.[0-9]+)+");
  private static final Pattern VALUE = Pattern.compile("[\\x20-\\x7e]{1,255}");

  private TokenRules() {}

  static void check(TokenSpec spec) {
    if ((spec.certname() == null) == (spec.glob() == null)) {
      throw new IllegalArgumentException("a token needs a certname or a glob, and only one");
    }
    if (spec.certname() != null && !NAME.matcher(spec.certname()).matches()) {
      throw new IllegalArgumentException(
          "certname must be a lower-case name of [a-z0-9._-], not '" + spec.certname() + "'");
    }
    if (spec.glob() != null && !GLOB.matcher(spec.glob()).matches()) {
      throw new IllegalArgumentException(
          "glob must be * or *.domain (as in autosign.conf), not '" + spec.glob() + "'");
    }
    if (spec.ttl().isNegative() || spec.ttl().isZero() || spec.ttl().compareTo(MAX_TTL) > 0) {
      throw new IllegalArgumentException("ttl must be more than 0 and at most 366 days");
    }
    if (spec.uses() < 1 || spec.uses() > MAX_USES) {
      throw new IllegalArgumentException("uses must be between 1 and " + MAX_USES);
    }
    byShortName(spec.extensions());
  }

  /**
   * The allowed extensions keyed by Puppet's short name (pp_role) where there is one, else by OID;
   * a key that is neither, or a value that is not printable ASCII, is refused.
   */
  static Map<String, String> byShortName(Map<String, String> extensions) {
    Map<String, String> oidByShort = new TreeMap<>();
    PuppetOids.shortNames().forEach((oid, name) -> oidByShort.put(name, oid));
    Map<String, String> out = new TreeMap<>();
    extensions.forEach(
        (key, value) -> {
          String oid = oidByShort.getOrDefault(key, key);
          if (!OID.matcher(oid).matches()) {
            throw new IllegalArgumentException(
                "extension '"
                    + key
                    + "' is not a Puppet extension (a pp_ name or an OID under "
                    + PuppetOids.PUPPET
                    + ")");
          }
          if (value == null || !VALUE.matcher(value).matches()) {
            throw new IllegalArgumentException(
                "extension " + key + " needs a value of 1 to 255 printable characters");
          }
          out.put(PuppetOids.shortName(oid), value);
        });
    return out;
  }
}
