package org.voxca.ca;

import java.util.Arrays;

/**
 * A name glob of {@code certificate_statuses?name=}: {@code *} any run of characters, {@code ?} one
 * character, everything else literal. Matched in linear time without backtracking (a glob with many
 * stars against a long name cannot stall the server): a set of pattern positions is advanced one
 * name character at a time.
 */
final class Glob {
  private final String pattern;

  Glob(String pattern) {
    this.pattern = pattern;
  }

  boolean matches(String name) {
    int p = pattern.length();
    boolean[] at = new boolean[p + 1];
    boolean[] next = new boolean[p + 1];
    at[0] = true;
    closeOverStars(at);
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      Arrays.fill(next, false);
      boolean any = false;
      for (int k = 0; k < p; k++) {
        if (!at[k]) {
          continue;
        }
        char g = pattern.charAt(k);
        if (g == '*') {
          next[k] = true;
          any = true;
        } else if (g == '?' || g == c) {
          next[k + 1] = true;
          any = true;
        }
      }
      if (!any) {
        return false;
      }
      closeOverStars(next);
      boolean[] t = at;
      at = next;
      next = t;
    }
    return at[p];
  }

  /** A star may match nothing: a reachable star makes the position after it reachable too. */
  private void closeOverStars(boolean[] at) {
    for (int k = 0; k < pattern.length(); k++) {
      if (at[k] && pattern.charAt(k) == '*') {
        at[k + 1] = true;
      }
    }
  }
}
