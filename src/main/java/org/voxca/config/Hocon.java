package org.voxca.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException.Generic;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Puppet Server's HOCON: one file or a conf.d directory (every {@code *.conf}, merged). */
final class Hocon {
  /** The packaged configuration file of a conf.d directory: read before every other one. */
  static final String PACKAGED = "voxca.conf";

  private final Config config;

  private Hocon(Config config) {
    this.config = config;
  }

  /**
   * This configuration with {@code keys} (dotted paths) set over it, as the command line sets them.
   */
  Hocon with(java.util.Map<String, String> keys) {
    if (keys == null || keys.isEmpty()) {
      return this;
    }
    return new Hocon(ConfigFactory.parseMap(keys).withFallback(config).resolve());
  }

  static Hocon read(Path path) {
    if (path == null) {
      return new Hocon(ConfigFactory.empty());
    }
    ConfigParseOptions strict = ConfigParseOptions.defaults().setAllowMissing(false);
    try {
      if (Files.isDirectory(path)) {
        Config merged = ConfigFactory.empty();
        File[] files = path.toFile().listFiles((d, n) -> n.endsWith(".conf"));
        if (files != null) {
          // the packaged voxca.conf first; every other file after it in name order, a later file
          // overriding an earlier one: an operator's file always wins, whatever its name
          Arrays.sort(
              files,
              java.util.Comparator.comparing((File f) -> !f.getName().equals(PACKAGED))
                  .thenComparing(File::getName));
          for (File f : files) {
            merged = ConfigFactory.parseFile(f, strict).withFallback(merged);
          }
        }
        return new Hocon(merged.resolve());
      }
      if (!Files.isRegularFile(path)) {
        throw new ConfigException(
            "--config", path + " is neither a HOCON file nor a conf.d directory");
      }
      return new Hocon(ConfigFactory.parseFile(path.toFile(), strict).resolve());
    } catch (com.typesafe.config.ConfigException e) {
      throw new ConfigException(String.valueOf(path), e.getMessage().replaceAll("\\s+", " "));
    }
  }

  /** The leaf keys under {@code section}, relative to it ({@code metrics.port}), sorted. */
  List<String> leafKeys(String section) {
    if (!config.hasPath(section)
        || config.getValue(section).valueType() != com.typesafe.config.ConfigValueType.OBJECT) {
      return List.of();
    }
    return config.getConfig(section).entrySet().stream().map(Map.Entry::getKey).sorted().toList();
  }

  boolean has(String key) {
    return config.hasPath(key);
  }

  String string(String key, String dflt) {
    if (!config.hasPath(key)) {
      return dflt;
    }
    try {
      return String.valueOf(config.getValue(key).unwrapped());
    } catch (Generic e) {
      throw new ConfigException(key, e.getMessage());
    }
  }

  long bytes(String key, long dflt) {
    try {
      return config.hasPath(key) ? config.getBytes(key) : dflt;
    } catch (com.typesafe.config.ConfigException e) {
      throw new ConfigException(key, "'" + string(key, "") + "' is not a size like 1m or 65536");
    }
  }

  /** A section's entries as strings, or none. */
  Map<String, String> section(String name) {
    Map<String, String> out = new LinkedHashMap<>();
    if (!config.hasPath(name)) {
      return out;
    }
    try {
      config
          .getConfig(name)
          .entrySet()
          .forEach(e -> out.put(e.getKey(), String.valueOf(e.getValue().unwrapped())));
    } catch (com.typesafe.config.ConfigException e) {
      throw new ConfigException(name, "must be an object");
    }
    return out;
  }

  /**
   * auth.conf's {@code authorization.rules} as plain maps, or null when no rules are configured.
   */
  @SuppressWarnings("unchecked")
  List<Map<String, Object>> authRules() {
    if (!config.hasPath("authorization.rules")) {
      return null;
    }
    if (config.hasPath("authorization.version")
        && !"1".equals(String.valueOf(config.getValue("authorization.version").unwrapped()))) {
      throw new ConfigException("authorization.version", "only version 1 is supported");
    }
    Object rules = config.getValue("authorization.rules").unwrapped();
    if (!(rules instanceof List<?> list) || !list.stream().allMatch(x -> x instanceof Map)) {
      throw new ConfigException("authorization.rules", "must be a list of rule objects");
    }
    return (List<Map<String, Object>>) rules;
  }
}
