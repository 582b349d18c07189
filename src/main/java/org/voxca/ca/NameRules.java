package org.voxca.ca;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Puppet's certname rules (spec §4.1) and voxca's stricter guard for names that arrive in URLs or
 * JSON bodies: only {@code [a-z0-9._-]} ever reaches a file name.
 */
public final class NameRules {
  private static final Pattern LABEL = Pattern.compile("^[A-Za-z0-9_-]*[A-Za-z0-9_]$");
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._-]+");

  static final String LOWER_CASE = "Certificate names must be lower case.";
  static final String INVALID = "Subject hostname format is invalid";

  private NameRules() {}

  /** True when {@code name} can safely name a file (still subject to {@link #validate}). */
  public static boolean pathSafe(String name) {
    return SAFE.matcher(name).matches() && !name.startsWith(".");
  }

  /**
   * Checks a name used to look something up (GET, DELETE, JSON lists): upper case and characters
   * outside the name alphabet are refused with Puppet's messages.
   */
  public static void validateLookup(String name) {
    if (!pathSafe(name.toLowerCase(Locale.ROOT))) {
      throw new CaException(Reason.BAD_REQUEST, INVALID);
    }
    if (!pathSafe(name) || !name.equals(name.toLowerCase(Locale.ROOT))) {
      throw new CaException(Reason.BAD_REQUEST, LOWER_CASE);
    }
  }

  /** Puppet's {@code validate-subject!}: CN = URL name, lower case, no wildcard, label format. */
  static void validateSubject(String urlName, String cn) {
    if (!cn.equals(urlName)) {
      throw CaException.invalid(
          "Instance name \"" + cn + "\" does not match requested key \"" + urlName + "\"");
    }
    if (!urlName.equals(urlName.toLowerCase(Locale.ROOT))) {
      throw CaException.invalid(LOWER_CASE);
    }
    if (urlName.contains("*")) {
      throw CaException.invalid("Subject contains a wildcard, which is not allowed: " + urlName);
    }
    if (!hostnameValid(urlName) || !pathSafe(urlName)) {
      throw CaException.invalid(INVALID);
    }
  }

  static boolean hostnameValid(String name) {
    if (name.isEmpty()
        || name.endsWith("-")
        || !(Character.isLetterOrDigit(name.charAt(0)) || name.charAt(0) == '_')
        || name.charAt(0) > 127) {
      return false;
    }
    String trimmed = name;
    while (trimmed.endsWith(".")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    if (trimmed.isEmpty()) {
      return false;
    }
    for (String label : trimmed.split("\\.", -1)) {
      if (!LABEL.matcher(label).matches()) {
        return false;
      }
    }
    return true;
  }
}
