package org.voxca.ca;

import java.time.Instant;
import java.util.Objects;

/** Bytes served as they are stored (a PEM file), with their modification time. */
public record Document(byte[] bytes, Instant modified) {
  public Document {
    Objects.requireNonNull(bytes, "bytes == null");
    Objects.requireNonNull(modified, "modified == null");
  }

  /** True when the document changed after {@code since} (millisecond precision, as Puppet). */
  public boolean modifiedAfter(Instant since) {
    return modified.toEpochMilli() > since.toEpochMilli();
  }
}
