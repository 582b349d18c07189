package org.voxca.ca;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Puppet's certname rules and voxca's stricter guard for names that arrive in URLs or JSON bodies:
 * only {@code [a-z0-9._-]} ever reaches a file name.
 */
public final class NameRules {
  private static final Pattern LABEL = Pattern.compile("^[A-Za-z0-9_-]*[A-Za-z0-9_]$");
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._-]+");

  static final int MAX_NAME = 253;
  static final int MAX_LABEL = 63;
  static final String LOWER_CASE = "Certificate names must be lower case.";
  static final String INVALID = "Subject hostname format is invalid";

  private NameRules() {}

  /** True when {@code name} can safely name a file (still subject to {@link #validate}). */
  public static boolean pathSafe(String name) {
    return SAFE.matcher(name).matches() && !name.startsWith(".") && lengthsValid(name);
  }

  /**
   * Checks a name used to look something up (GET, DELETE, JSON lists): upper case and characters
   * outside the name alphabet are refused with Puppet's messages.
   */
  public static void validateLookup(String name) {
    if (!pathSafe(name.toLowerCase(Locale.ROOT)) || !lengthsValid(name)) {
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

  /**
   * Puppet's label format, stricter: at most 253 characters, labels of 1 to 63 characters, no empty
   * label and no trailing dot ({@code puppet.} would impersonate {@code puppet}).
   */
  static boolean hostnameValid(String name) {
    if (name.isEmpty()
        || name.length() > MAX_NAME
        || name.endsWith("-")
        || name.endsWith(".")
        || !(Character.isLetterOrDigit(name.charAt(0)) || name.charAt(0) == '_')
        || name.charAt(0) > 127) {
      return false;
    }
    for (String label : name.split("\\.", -1)) {
      if (label.length() > MAX_LABEL || !LABEL.matcher(label).matches()) {
        return false;
      }
    }
    return true;
  }

  /** Lengths a DNS name and its labels may have (RFC 1035), and so a file name never outgrows. */
  private static boolean lengthsValid(String name) {
    if (name.length() > MAX_NAME) {
      return false;
    }
    for (String label : name.split("\\.", -1)) {
      if (label.length() > MAX_LABEL) {
        return false;
      }
    }
    return true;
  }
}
