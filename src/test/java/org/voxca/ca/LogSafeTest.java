package org.voxca.ca;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Every class of character that can forge or hide a log line is escaped; nothing else is. */
class LogSafeTest {
  private static void escaped(String cls, char c) {
    String out = LogSafe.escape("a" + c + "b");
    assertThat(out).as(cls).isEqualTo(String.format("a\\u%04xb", (int) c));
    assertThat(out.chars().noneMatch(ch -> LogSafe.unsafe((char) ch))).isTrue();
  }

  @Test
  void c0ControlsAndDel() {
    for (char c : new char[] {'\0', '\t', '\n', '\r', 0x1b, 0x1f}) {
      escaped("C0", c);
    }
    escaped("DEL", (char) 0x7f);
  }

  @Test
  void c1ControlsIncludingNextLine() {
    for (char c = 0x80; c <= 0x9f; c++) {
      escaped("C1", c);
    }
    escaped("NEL", '\u0085');
  }

  @Test
  void lineAndParagraphSeparators() {
    escaped("LS", '\u2028');
    escaped("PS", '\u2029');
  }

  @Test
  void bidiControls() {
    for (char c : new char[] {'\u061c', '\u200e', '\u200f'}) {
      escaped("bidi mark", c);
    }
    for (char c = '\u202a'; c <= '\u202e'; c++) {
      escaped("bidi embedding/override", c);
    }
    for (char c = '\u2066'; c <= '\u2069'; c++) {
      escaped("bidi isolate", c);
    }
  }

  @Test
  void ordinaryTextIsUntouchedAndEscapingTwiceChangesNothing() {
    String plain = "agent-01.example.com CN=Zoë 日本 /puppet-ca/v1/x \\u0041";
    assertThat(LogSafe.escape(plain)).isSameAs(plain);
    String once = LogSafe.escape("x\u001b[31my\u2028z");
    assertThat(LogSafe.escape(once)).isEqualTo(once);
    assertThat(LogSafe.escape(null)).isNull();
  }

  @Test
  void stackTraceLinesKeepTheirBreaks() {
    assertThat(LogSafe.escapeLines("boom \u001b[2J\n\tat x.y(Z.java:1)\r\n"))
        .isEqualTo("boom \\u001b[2J\n    at x.y(Z.java:1)\r\n");
  }
}
