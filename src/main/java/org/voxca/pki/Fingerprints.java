package org.voxca.pki;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Puppet-style fingerprints: upper-case hex pairs joined by ':'. */
public final class Fingerprints {
  private Fingerprints() {}

  public static String of(String algorithm, byte[] der) {
    try {
      byte[] d = MessageDigest.getInstance(algorithm).digest(der);
      return HexFormat.ofDelimiter(":").withUpperCase().formatHex(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalArgumentException(algorithm, e);
    }
  }

  public static String sha256(byte[] der) {
    return of("SHA-256", der);
  }
}
