package org.voxca.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import org.voxca.ca.autosign.GemSecret;

/**
 * The autosign gem's own configuration file ({@code voxca { autosign-gem-config }}, e.g. {@code
 * /etc/autosign.conf}): YAML whose {@code jwt_token} section holds the shared {@code secret} its
 * token generators sign with. Read once at start; voxca needs nothing else from it.
 */
final class GemConfig {
  static final String KEY = "voxca.autosign-gem-config";

  private GemConfig() {}

  static GemSecret read(String path) {
    if (path == null || path.isBlank()) {
      return null;
    }
    Path file = Path.of(path);
    if (!file.isAbsolute()) {
      throw new ConfigException(KEY, "must be an absolute path, not '" + path + "'");
    }
    JsonNode yaml;
    try {
      yaml = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    } catch (JsonProcessingException e) {
      // its message may quote the file, secret included: never repeat it
      throw new ConfigException(KEY, file + " is not valid YAML");
    } catch (IOException e) {
      throw new ConfigException(KEY, "cannot read " + file + ": " + e.getMessage());
    }
    JsonNode secret = yaml == null ? null : yaml.path("jwt_token").get("secret");
    if (secret == null || !secret.isValueNode() || secret.asText().isEmpty()) {
      throw new ConfigException(KEY, file + " has no jwt_token: secret:");
    }
    return new GemSecret(secret.asText());
  }
}
