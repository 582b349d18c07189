package org.voxca.ca.autosign;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The autosign gem's shared HMAC secret ({@code jwt_token: secret:} in its configuration file), as
 * the bytes of its text. Never printed: {@link #toString()} hides it.
 */
public final class GemSecret {
  private final byte[] key;

  public GemSecret(String secret) {
    if (secret == null || secret.isEmpty()) {
      throw new IllegalArgumentException("the autosign gem's jwt_token secret is empty");
    }
    this.key = secret.getBytes(StandardCharsets.UTF_8);
  }

  byte[] key() {
    return Arrays.copyOf(key, key.length);
  }

  @Override
  public String toString() {
    return "GemSecret[hidden]";
  }
}
