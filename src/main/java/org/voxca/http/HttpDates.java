package org.voxca.http;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code If-Modified-Since} as OpenVox Server reads it: {@code [Day, ]dd MMM yyyy HH:mm:ss zone},
 * day-of-week optional and ignored, case-insensitive, zone GMT/UTC/UT/Z or ±hhmm.
 */
final class HttpDates {
  private static final Pattern DATE =
      Pattern.compile(
          "^\\s*(?:[A-Za-z]{3,9},?\\s+)?(\\d{1,2})[\\s-]+([A-Za-z]{3})[\\s-]+(\\d{2,4})\\s+(\\d{1,2}):(\\d{2}):(\\d{2})\\s*(GMT|UTC|UT|Z|[+-]\\d{4})?\\s*$",
          Pattern.CASE_INSENSITIVE);
  private static final Map<String, Integer> MONTHS =
      Map.ofEntries(
          Map.entry("jan", 1),
          Map.entry("feb", 2),
          Map.entry("mar", 3),
          Map.entry("apr", 4),
          Map.entry("may", 5),
          Map.entry("jun", 6),
          Map.entry("jul", 7),
          Map.entry("aug", 8),
          Map.entry("sep", 9),
          Map.entry("oct", 10),
          Map.entry("nov", 11),
          Map.entry("dec", 12));

  private static final Set<String> UTC_NAMES = Set.of("GMT", "UTC", "UT", "Z");

  private HttpDates() {}

  /** The last header parsed and its instant: agents send back the same Last-Modified, again. */
  private record Parsed(String header, Instant instant) {}

  private static volatile Parsed last = new Parsed("", null);

  /** The instant, or null when the header is absent or unparsable (then the full body is sent). */
  static Instant parse(String header) {
    if (header == null) {
      return null;
    }
    Parsed p = last;
    if (p.header.equals(header)) {
      return p.instant;
    }
    Instant parsed = parseNew(header);
    last = new Parsed(header, parsed);
    return parsed;
  }

  private static Instant parseNew(String header) {
    Matcher m = DATE.matcher(header);
    if (!m.matches()) {
      return null;
    }
    Integer month = MONTHS.get(m.group(2).toLowerCase(Locale.ROOT));
    if (month == null) {
      return null;
    }
    try {
      int year = Integer.parseInt(m.group(3));
      if (year < 100) {
        year += year < 70 ? 2000 : 1900;
      }
      LocalDateTime t =
          LocalDateTime.of(
              year,
              month,
              Integer.parseInt(m.group(1)),
              Integer.parseInt(m.group(4)),
              Integer.parseInt(m.group(5)),
              Integer.parseInt(m.group(6)));
      String zone = m.group(7);
      ZoneOffset off =
          zone == null || UTC_NAMES.contains(zone.toUpperCase(Locale.ROOT))
              ? ZoneOffset.UTC
              : ZoneOffset.of(zone.substring(0, 3) + ":" + zone.substring(3));
      return t.toInstant(off);
    } catch (RuntimeException e) {
      return null;
    }
  }
}
