package org.voxca.ca;

/**
 * The one escaping of text that reaches a log: every character that could end a log line, rewrite a
 * terminal or reorder what a reader sees is written as {@code \\uXXXX} — C0 controls (line feed and
 * tab included), DEL, C1 controls (U+0085 NEXT LINE among them), the line and paragraph separators
 * U+2028 and U+2029, and the bidirectional controls (U+061C, U+200E, U+200F, U+202A–U+202E,
 * U+2066–U+2069). Anything else passes unchanged, so escaping twice changes nothing more. Request
 * paths, names, DNs, header values and CSR subjects all pass through it before a log line is
 * written (the server log's layout, the access log and the audit log apply it).
 */
public final class LogSafe {
  private LogSafe() {}

  /** True for a character {@link #escape} rewrites. */
  public static boolean unsafe(char c) {
    return c < 0x20
        || (c >= 0x7f && c <= 0x9f)
        || c == '\u2028'
        || c == '\u2029'
        || c == '\u061c'
        || c == '\u200e'
        || c == '\u200f'
        || (c >= '\u202a' && c <= '\u202e')
        || (c >= '\u2066' && c <= '\u2069');
  }

  /** {@code s} with every unsafe character as {@code \\uXXXX}; null stays null. */
  public static String escape(String s) {
    if (s == null) {
      return null;
    }
    int i = 0;
    while (i < s.length() && !unsafe(s.charAt(i))) {
      i++;
    }
    if (i == s.length()) {
      return s;
    }
    StringBuilder b = new StringBuilder(s.length() + 16).append(s, 0, i);
    for (; i < s.length(); i++) {
      char c = s.charAt(i);
      if (unsafe(c)) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  /**
   * Each line of {@code s} escaped, the line breaks between them kept and tabs as four spaces
   * (stack traces).
   */
  public static String escapeLines(String s) {
    if (s == null) {
      return null;
    }
    String[] lines = s.split("\n", -1);
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < lines.length; i++) {
      if (i > 0) {
        b.append('\n');
      }
      String line = lines[i];
      boolean cr = line.endsWith("\r");
      b.append(escape((cr ? line.substring(0, line.length() - 1) : line).replace("\t", "    ")));
      if (cr) {
        b.append('\r');
      }
    }
    return b.toString();
  }
}
