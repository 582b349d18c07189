package org.voxca.pki;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Puppet-style fingerprints: upper-case hex pairs joined by ':'. */
public final class Fingerprints {
  private Fingerprints() {}

  public static String of(String algorithm, byte[] der) {
    try {
      byte[] d = MessageDigest.getInstance(algorithm).digest(der);
      return colonHex(d, 0, d.length);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalArgumentException(algorithm, e);
    }
  }

  private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

  /**
   * Bytes {@code from} to {@code to} of {@code d} as upper-case hex pairs joined by ':' (what
   * {@code HexFormat.ofDelimiter(":").withUpperCase()} writes, without its per-call cost: a listing
   * formats 300,000 of them).
   */
  public static String colonHex(byte[] d, int from, int to) {
    if (to <= from) {
      return "";
    }
    byte[] out = new byte[(to - from) * 3 - 1];
    int j = 0;
    for (int i = from; i < to; i++) {
      if (i > from) {
        out[j++] = ':';
      }
      out[j++] = HEX[(d[i] >> 4) & 0xf];
      out[j++] = HEX[d[i] & 0xf];
    }
    return new String(out, StandardCharsets.ISO_8859_1);
  }

  public static String sha256(byte[] der) {
    return of("SHA-256", der);
  }
}
