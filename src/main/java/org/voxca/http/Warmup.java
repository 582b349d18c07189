package org.voxca.http;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import org.voxca.ca.CertificateAuthority;

/**
 * Work done once after start so that the first operator request is not the one that waits for the
 * JIT: the full listing is written once to nowhere (at 100,000 certificates its first call took 2 s
 * cold, 0.3 s warm).
 */
public final class Warmup {
  private Warmup() {}

  public static void listings(CertificateAuthority ca) {
    try {
      StatusListWriter.listing(OutputStream.nullOutputStream(), ca, null, null, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
