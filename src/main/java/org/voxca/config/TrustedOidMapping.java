package org.voxca.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * puppet.conf's {@code trusted_oid_mapping_file}: YAML {@code oid_mapping: {<oid>: {shortname: x,
 * longname: y}}}, extra short names that auth.conf {@code extensions} rules may use.
 */
final class TrustedOidMapping {
  private TrustedOidMapping() {}

  static Map<String, String> read(Path file) {
    Map<String, String> out = new LinkedHashMap<>();
    if (!Files.isRegularFile(file)) {
      return out;
    }
    try {
      JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
      JsonNode mapping = root == null ? null : root.get("oid_mapping");
      if (mapping == null || !mapping.isObject()) {
        throw new ConfigException("trusted_oid_mapping_file", file + " has no oid_mapping map");
      }
      mapping
          .fields()
          .forEachRemaining(
              e -> {
                if (!e.getKey().matches("\\d+(\\.\\d+)+")
                    || !e.getValue().path("shortname").isTextual()) {
                  throw new ConfigException(
                      "trusted_oid_mapping_file",
                      file + ": entry '" + e.getKey() + "' needs a dotted OID and a shortname");
                }
                out.put(e.getKey(), e.getValue().get("shortname").asText());
              });
      return out;
    } catch (IOException e) {
      throw new ConfigException(
          "trusted_oid_mapping_file",
          file + " is not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
    }
  }
}
