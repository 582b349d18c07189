package org.voxca.store;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;

/** File contents with their last-modification time (millisecond precision). */
public record StoredFile(byte[] bytes, Instant modified) {
  public StoredFile {
    Objects.requireNonNull(bytes, "bytes == null");
    Objects.requireNonNull(modified, "modified == null");
  }

  public String text() {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
