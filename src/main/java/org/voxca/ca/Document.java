package org.voxca.ca;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Objects;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Bytes served as they are stored (a PEM file), with their modification time, and a gzip copy made
 * once, on first use, for clients that accept it (a CRL of 100,000 serials is 4.7 MB of PEM).
 */
public record Document(byte[] bytes, Instant modified, Gzip gzip) {
  public Document {
    Objects.requireNonNull(bytes, "bytes == null");
    Objects.requireNonNull(modified, "modified == null");
    Objects.requireNonNull(gzip, "gzip == null");
  }

  public Document(byte[] bytes, Instant modified) {
    this(bytes, modified, new Gzip());
  }

  /** True when the document changed after {@code since} (millisecond precision, as Puppet). */
  public boolean modifiedAfter(Instant since) {
    return modified.toEpochMilli() > since.toEpochMilli();
  }

  /** The bytes gzipped: computed once per document, then served from memory. */
  public byte[] gzipped() {
    return gzip.of(bytes);
  }

  /** The gzip copy of one document, made by the first reader that needs it. */
  public static final class Gzip {
    private volatile byte[] compressed;

    byte[] of(byte[] bytes) {
      byte[] c = compressed;
      if (c == null) {
        synchronized (this) {
          c = compressed;
          if (c == null) {
            c = compress(bytes);
            compressed = c;
          }
        }
      }
      return c;
    }

    private static byte[] compress(byte[] bytes) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 3 + 64);
      try (GZIPOutputStream gz =
          new GZIPOutputStream(out, 64 * 1024) {
            {
              def.setLevel(Deflater.BEST_SPEED);
            }
          }) {
        gz.write(bytes);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return out.toByteArray();
    }
  }
}
