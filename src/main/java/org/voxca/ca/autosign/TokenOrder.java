package org.voxca.ca.autosign;

import java.util.Locale;

/**
 * Where enrolment tokens stand beside Puppet's {@code autosign} setting ({@code voxca {
 * autosign-tokens }}): {@code first} (a valid token signs; without one, the setting decides),
 * {@code last} (the setting first; a CSR it leaves pending is signed by a valid token) or {@code
 * off} (tokens are ignored).
 */
public enum TokenOrder {
  FIRST,
  LAST,
  OFF;

  /** {@code first}, {@code last} or {@code off}; anything else is an IllegalArgumentException. */
  public static TokenOrder parse(String value) {
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("must be first, last or off, not '" + value + "'");
    }
  }
}
