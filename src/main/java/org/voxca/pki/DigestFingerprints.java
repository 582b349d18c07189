package org.voxca.pki;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A certificate's fingerprints in Puppet's map (SHA1, SHA256, SHA512, default = SHA256), kept as
 * the digests' bytes: the hex strings are made only when read, and a listing writes the hex
 * straight from the bytes ({@link #hex}) without making them at all.
 */
public final class DigestFingerprints extends AbstractMap<String, String> {
  private static final String[] NAMES = {"SHA1", "SHA256", "SHA512", "default"};
  private static final byte[] HEX = {
    '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'A', 'B', 'C', 'D', 'E', 'F'
  };
  private final byte[] digests;
  private final int[] from;
  private final int[] to;

  /** The SHA-1, SHA-256 and SHA-512 digests at these offsets of {@code digests} (not copied). */
  public DigestFingerprints(byte[] digests, int sha1, int sha256, int sha512) {
    this.digests = digests;
    this.from = new int[] {sha1, sha256, sha512, sha256};
    this.to = new int[] {sha1 + 20, sha256 + 32, sha512 + 64, sha256 + 32};
  }

  /** The number of entries, in order: SHA1, SHA256, SHA512, default. */
  public static int count() {
    return NAMES.length;
  }

  public static String name(int i) {
    return NAMES[i];
  }

  /** The length of entry {@code i}'s hex text. */
  public int hexLength(int i) {
    return (to[i] - from[i]) * 3 - 1;
  }

  /** Writes entry {@code i}'s hex text at {@code at}; returns the offset after it. */
  public int hex(int i, byte[] dst, int at) {
    for (int b = from[i]; b < to[i]; b++) {
      if (b > from[i]) {
        dst[at++] = ':';
      }
      dst[at++] = HEX[(digests[b] >> 4) & 0xf];
      dst[at++] = HEX[digests[b] & 0xf];
    }
    return at;
  }

  private String text(int i) {
    return Fingerprints.colonHex(digests, from[i], to[i]);
  }

  @Override
  public String get(Object key) {
    for (int i = 0; i < NAMES.length; i++) {
      if (NAMES[i].equals(key)) {
        return text(i);
      }
    }
    return null;
  }

  @Override
  public boolean containsKey(Object key) {
    for (String n : NAMES) {
      if (n.equals(key)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public Set<Entry<String, String>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public int size() {
        return NAMES.length;
      }

      @Override
      public Iterator<Entry<String, String>> iterator() {
        return new Iterator<>() {
          private int i;

          @Override
          public boolean hasNext() {
            return i < NAMES.length;
          }

          @Override
          public Entry<String, String> next() {
            if (i >= NAMES.length) {
              throw new NoSuchElementException();
            }
            int at = i++;
            return new SimpleImmutableEntry<>(NAMES[at], text(at));
          }
        };
      }
    };
  }
}
