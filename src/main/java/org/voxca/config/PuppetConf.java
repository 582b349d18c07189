package org.voxca.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * puppet.conf, an INI file: {@code [main]}, {@code [server]} (alias {@code [master]}) and other
 * sections of {@code key = value} lines; {@code #} and {@code ;} start comments. The CA reads run
 * mode "server": {@code [server]} over {@code [master]} over {@code [main]}.
 */
public final class PuppetConf {
  private final Map<String, Map<String, String>> sections;

  private PuppetConf(Map<String, Map<String, String>> sections) {
    this.sections = sections;
  }

  public static PuppetConf empty() {
    return new PuppetConf(Map.of());
  }

  public static PuppetConf read(Path file) {
    try {
      return parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  static PuppetConf parse(List<String> lines, String source) {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    String section = "main";
    int n = 0;
    for (String raw : lines) {
      n++;
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
        continue;
      }
      if (line.startsWith("[") && line.endsWith("]")) {
        section = line.substring(1, line.length() - 1).strip();
        continue;
      }
      int eq = line.indexOf('=');
      if (eq <= 0) {
        throw new ConfigException(
            source + ":" + n, "expected 'setting = value', found '" + line + "'");
      }
      String key = line.substring(0, eq).strip();
      String value = line.substring(eq + 1).strip();
      int hash = value.indexOf(" #");
      if (hash >= 0) {
        value = value.substring(0, hash).strip();
      }
      out.computeIfAbsent(section, k -> new LinkedHashMap<>()).put(key, value);
    }
    return new PuppetConf(out);
  }

  /** Settings of run mode "server": [main], then [master], then [server], later winning. */
  public Map<String, String> serverSettings() {
    Map<String, String> m = new LinkedHashMap<>();
    for (String s : List.of("main", "master", "server")) {
      m.putAll(sections.getOrDefault(s, Map.of()));
    }
    return m;
  }
}
