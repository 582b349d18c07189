package org.voxca.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** One configuration value read and checked: each refusal names its key in one line. */
final class ConfigValues {
  static final Duration MAX_TTL = Duration.ofSeconds(1_576_800_000L);

  private ConfigValues() {}

  static boolean twoLevel(String chain) {
    return switch (chain) {
      case "single" -> false;
      case "two-level" -> true;
      default ->
          throw new ConfigException(
              "voxca.ca-chain", "must be single or two-level, not '" + chain + "'");
    };
  }

  static String ocspUrl(Hocon hocon) {
    String url = hocon.string("voxca.ocsp-url", null);
    if (url != null && !url.matches("https?://\\S+")) {
      throw new ConfigException("voxca.ocsp-url", "must be an http(s) URL, not '" + url + "'");
    }
    return url;
  }

  static Duration crlTtl(Hocon hocon) {
    Duration ttl = PuppetDuration.parse("voxca.crl-ttl", hocon.string("voxca.crl-ttl", "5y"));
    if (ttl.compareTo(Duration.ofMinutes(10)) < 0 || ttl.compareTo(MAX_TTL) > 0) {
      throw new ConfigException("voxca.crl-ttl", "must be between 10m and 50y, not " + ttl);
    }
    return ttl;
  }

  static int minRsaBits(Hocon hocon) {
    int bits = intValue("voxca.min-rsa-key-bits", hocon.string("voxca.min-rsa-key-bits", "2048"));
    if (bits < 1024 || bits > 16384) {
      throw new ConfigException(
          "voxca.min-rsa-key-bits", "must be between 1024 and 16384, not " + bits);
    }
    return bits;
  }

  static boolean serials(String v) {
    return switch (v) {
      case "sequential" -> false;
      case "random" -> true;
      default ->
          throw new ConfigException(
              "voxca.serials", "must be sequential or random, not '" + v + "'");
    };
  }

  static int nonNegative(String key, String v) {
    int n = intValue(key, v);
    if (n < 0) {
      throw new ConfigException(key, "must not be negative, not " + n);
    }
    return n;
  }

  static int intValue(String key, String v) {
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(key, "'" + v + "' is not an integer");
    }
  }

  static boolean bool(String key, String v) {
    String t = v.trim().toLowerCase(Locale.ROOT);
    if (t.equals("true")) {
      return true;
    }
    if (t.equals("false")) {
      return false;
    }
    throw new ConfigException(key, "'" + v + "' is not true or false");
  }

  static List<String> altNames(String v) {
    return Arrays.stream(v.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
  }

  /** A Puppet duration ({@code 20s}, {@code 1m}), or milliseconds ({@code 250ms}). */
  static java.time.Duration shortDuration(String key, String text) {
    if (text.trim().matches("\\d+ms")) {
      return java.time.Duration.ofMillis(Long.parseLong(text.trim().replace("ms", "")));
    }
    return PuppetDuration.parse(key, text);
  }
}
