package org.voxca.http;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Dates in Puppet's CA JSON: {@code 2026-11-23T12:00:00UTC}, and the forms voxca's filters take.
 */
final class PuppetDates {
  static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'UTC'").withZone(ZoneOffset.UTC);

  private PuppetDates() {}

  /**
   * {@code 2027-01-31}, {@code 2027-01-31T12:00:00Z} or {@code 2027-01-31T12:00:00UTC}; else null.
   */
  static Instant parse(String s) {
    try {
      if (s.matches("\\d{4}-\\d\\d-\\d\\d")) {
        return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
      }
      if (s.endsWith("UTC")) {
        return Instant.from(FORMAT.parse(s));
      }
      return Instant.parse(s);
    } catch (DateTimeException e) {
      return null;
    }
  }

  /** Puppet's form, written by hand (a listing formats 200,000 of them); null for none or MAX. */
  static String format(Instant t) {
    if (t == null || t.equals(Instant.MAX)) {
      return null;
    }
    LocalDateTime d = LocalDateTime.ofEpochSecond(t.getEpochSecond(), 0, ZoneOffset.UTC);
    if (d.getYear() < 1000 || d.getYear() > 9999) {
      return FORMAT.format(t);
    }
    char[] c = "0000-00-00T00:00:00UTC".toCharArray();
    put(c, 0, d.getYear(), 4);
    put(c, 5, d.getMonthValue(), 2);
    put(c, 8, d.getDayOfMonth(), 2);
    put(c, 11, d.getHour(), 2);
    put(c, 14, d.getMinute(), 2);
    put(c, 17, d.getSecond(), 2);
    return new String(c);
  }

  private static void put(char[] c, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      c[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }
}
