package org.voxca.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Puppet's duration strings: integer seconds ({@code 3600}) or {@code <n><unit>} pairs with units y
 * (365 days), d, h, m, s, e.g. {@code 5y}, {@code 1y30d}, {@code 12h}; spaces are ignored.
 */
public final class PuppetDuration {
  private static final Pattern PAIR = Pattern.compile("(\\d+)([ydhms])");

  private PuppetDuration() {}

  public static Duration parse(String key, String text) {
    String s = text.replace(" ", "").trim();
    if (s.isEmpty()) {
      throw new ConfigException(key, "empty duration");
    }
    try {
      if (s.matches("\\d+")) {
        return positive(key, Duration.ofSeconds(Long.parseLong(s)));
      }
      Matcher m = PAIR.matcher(s);
      long seconds = 0;
      int end = 0;
      while (m.find()) {
        if (m.start() != end) {
          break;
        }
        end = m.end();
        long n = Long.parseLong(m.group(1));
        seconds = Math.addExact(seconds, Math.multiplyExact(n, unit(m.group(2).charAt(0))));
      }
      if (end != s.length()) {
        throw new ConfigException(
            key, "'" + text + "' is not a duration like 5y, 1y30d, 12h or a number of seconds");
      }
      return positive(key, Duration.ofSeconds(seconds));
    } catch (NumberFormatException | ArithmeticException e) {
      throw new ConfigException(key, "'" + text + "' is out of range");
    }
  }

  private static Duration positive(String key, Duration d) {
    if (d.isZero() || d.isNegative()) {
      throw new ConfigException(key, "duration must be greater than zero");
    }
    return d;
  }

  private static long unit(char u) {
    return switch (u) {
      case 'y' -> 365L * 86400;
      case 'd' -> 86400;
      case 'h' -> 3600;
      case 'm' -> 60;
      default -> 1;
    };
  }
}
