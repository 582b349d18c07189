package org.voxca.ca;

/**
 * What {@code rollover prepare} makes: the next CA's common name (null: the current one with a
 * generation suffix, {@code G2}, {@code G3}...), and its key, RSA of {@code rsaBits} or EC on
 * {@code ecCurve} when that is set ({@link #CONFIGURED_KEY} bits and no curve: the key the CA's
 * settings name). With {@code root}, a two-level CA rolls its root too: a next root ({@code
 * rootName}, or the current root's name with a generation suffix) of the same key type signs the
 * next CA.
 */
public record RolloverPlan(
    String caName, int rsaBits, String ecCurve, boolean root, String rootName) {
  /** {@code rsaBits} that, without a curve, stands for the configured key. */
  public static final int CONFIGURED_KEY = 0;

  /** The longest common name X.509 allows (ub-common-name). */
  static final int MAX_NAME = 64;

  /** A plan that keeps the root (or for a single-level CA). */
  public RolloverPlan(String caName, int rsaBits, String ecCurve) {
    this(caName, rsaBits, ecCurve, false, null);
  }

  public RolloverPlan {
    checkName(caName, "next CA");
    checkName(rootName, "next root");
    if (rootName != null && !root) {
      throw new CaException(
          Reason.BAD_REQUEST, "A next root's name needs the root to roll too (root: true)");
    }
    if ("prime256v1".equals(ecCurve)) {
      ecCurve = "secp256r1";
    }
    if (ecCurve == null
        && rsaBits != CONFIGURED_KEY
        && rsaBits != 2048
        && rsaBits != 3072
        && rsaBits != 4096) {
      throw new CaException(
          Reason.BAD_REQUEST, "The next CA's RSA key must be 2048, 3072 or 4096 bits");
    }
    if (ecCurve != null
        && !java.util.Set.of("secp256r1", "secp384r1", "secp521r1").contains(ecCurve)) {
      throw new CaException(
          Reason.BAD_REQUEST,
          "The next CA's EC curve must be secp256r1 (prime256v1), secp384r1 or secp521r1");
    }
  }

  /**
   * This plan, rolling the root too when {@code root} (its name {@code rootName}, or the default).
   */
  public RolloverPlan withRoot(boolean root, String rootName) {
    return new RolloverPlan(caName, rsaBits, ecCurve, root, rootName);
  }

  private static void checkName(String name, String what) {
    if (name == null) {
      return;
    }
    if (name.isBlank() || name.length() > MAX_NAME || name.strip().length() != name.length()) {
      throw new CaException(
          Reason.BAD_REQUEST,
          "The " + what + "'s name must be 1 to 64 characters, without leading or trailing spaces");
    }
    for (int i = 0; i < name.length(); i++) {
      if (Character.isISOControl(name.charAt(i))) {
        throw new CaException(
            Reason.BAD_REQUEST, "The " + what + "'s name must not hold control characters");
      }
    }
  }

  /** The name after {@code current}: its generation suffix counted up, or {@code G2} added. */
  static String nextName(String current) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("^(.*) G(\\d{1,4})$").matcher(current);
    String base = m.matches() ? m.group(1) : current;
    int generation = m.matches() ? Integer.parseInt(m.group(2)) + 1 : 2;
    String suffix = " G" + generation;
    if (base.length() + suffix.length() > MAX_NAME) {
      base = base.substring(0, MAX_NAME - suffix.length()).strip();
    }
    return base + suffix;
  }
}
