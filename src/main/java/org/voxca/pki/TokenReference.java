package org.voxca.pki;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the store keeps in place of a private key that lives in a PKCS#11 token: the object's label
 * and nothing secret, so a directory or database holding it can be copied freely.
 */
public final class TokenReference {
  public static final String BEGIN = "-----BEGIN VOXCA PKCS11 KEY REFERENCE-----";
  private static final String END = "-----END VOXCA PKCS11 KEY REFERENCE-----";
  private static final Pattern LABEL = Pattern.compile("(?m)^label: (.+)$");

  private TokenReference() {}

  /** The reference text for the token object labelled {@code label}. */
  public static String of(String label) {
    return "# This CA key lives in a PKCS#11 token; this file holds no key material.\n"
        + BEGIN
        + "\nlabel: "
        + label
        + "\n"
        + END
        + "\n";
  }

  /** True when {@code text} is a token reference rather than a key. */
  public static boolean is(String text) {
    return text != null && text.contains(BEGIN);
  }

  /** The label {@code text} names; a {@link PkiException} when it names none. */
  public static String label(String text) {
    Matcher m = LABEL.matcher(text);
    if (!is(text) || !m.find()) {
      throw new PkiException("not a PKCS#11 key reference");
    }
    return m.group(1).trim();
  }
}
