package org.voxca.tls;

import java.nio.ByteBuffer;

/**
 * Reads a TLS ClientHello, without consuming it, to tell whether the client accepts the server's
 * ECDSA P-256 certificate: for TLS 1.3, the signature scheme ecdsa_secp256r1_sha256; for a TLS 1.2
 * client, that scheme, an ECDHE_ECDSA AEAD suite and P-256 among its groups. Anything else (another
 * record, a ClientHello split over records, a malformed one, a client without those algorithms)
 * reads as "not ECDSA", and the server answers with its RSA certificate, which every client takes.
 */
public final class ClientHelloProbe {
  /** What the bytes read so far say. */
  public enum Verdict {
    NEED_MORE_BYTES,
    ECDSA,
    OTHER
  }

  private static final int HANDSHAKE = 0x16;
  private static final int CLIENT_HELLO = 1;
  private static final int EXT_SUPPORTED_GROUPS = 10;
  private static final int EXT_SIGNATURE_ALGORITHMS = 13;
  private static final int EXT_SUPPORTED_VERSIONS = 43;
  private static final int ECDSA_SECP256R1_SHA256 = 0x0403;
  private static final int SECP256R1 = 0x0017;
  private static final int TLS13 = 0x0304;

  private ClientHelloProbe() {}

  /**
   * The verdict on the bytes from {@code in}'s position to its limit (left as they are); a
   * ClientHello that could not fit in {@code in}'s capacity reads as {@link Verdict#OTHER}.
   */
  public static Verdict probe(ByteBuffer in) {
    int p = in.position();
    int available = in.remaining();
    if (available < 5) {
      return available > 0 && (in.get(p) & 0xff) != HANDSHAKE
          ? Verdict.OTHER
          : Verdict.NEED_MORE_BYTES;
    }
    if ((in.get(p) & 0xff) != HANDSHAKE || (in.get(p + 1) & 0xff) != 3) {
      return Verdict.OTHER;
    }
    int record = u16(in, p + 3);
    if (5 + record > in.capacity() - p) {
      return Verdict.OTHER;
    }
    if (available < 5 + record) {
      return Verdict.NEED_MORE_BYTES;
    }
    try {
      return read(in.slice(p + 5, record)) ? Verdict.ECDSA : Verdict.OTHER;
    } catch (IndexOutOfBoundsException malformed) {
      return Verdict.OTHER;
    }
  }

  /** True when the ClientHello in {@code b} (one whole handshake message) accepts ECDSA P-256. */
  private static boolean read(ByteBuffer b) {
    if ((b.get(0) & 0xff) != CLIENT_HELLO || 4 + u24(b, 1) > b.limit()) {
      return false; // not a ClientHello, or one that continues in a later record
    }
    int end = 4 + u24(b, 1);
    int p = 4 + 2 + 32; // version, random
    p += 1 + (b.get(p) & 0xff); // session id
    int suitesEnd = p + 2 + u16(b, p);
    boolean ecdsaSuite = false;
    for (int i = p + 2; i + 1 < suitesEnd; i += 2) {
      int s = u16(b, i);
      ecdsaSuite |= s == 0xc02b || s == 0xc02c || s == 0xcca9; // ECDHE_ECDSA with GCM, ChaCha
    }
    p = suitesEnd;
    p += 1 + (b.get(p) & 0xff); // compression methods
    boolean sigalg = false;
    boolean tls13 = false;
    boolean groupsSent = false;
    boolean p256 = false;
    if (p + 2 <= end) {
      int extEnd = p + 2 + u16(b, p);
      for (p += 2; p + 4 <= extEnd; ) {
        int type = u16(b, p);
        int len = u16(b, p + 2);
        int body = p + 4;
        if (type == EXT_SIGNATURE_ALGORITHMS) {
          sigalg = contains16(b, body + 2, body + 2 + u16(b, body), ECDSA_SECP256R1_SHA256);
        } else if (type == EXT_SUPPORTED_VERSIONS) {
          tls13 = contains16(b, body + 1, body + 1 + (b.get(body) & 0xff), TLS13);
        } else if (type == EXT_SUPPORTED_GROUPS) {
          groupsSent = true;
          p256 = contains16(b, body + 2, body + 2 + u16(b, body), SECP256R1);
        }
        p = body + len;
      }
    }
    return sigalg && (tls13 || (ecdsaSuite && (p256 || !groupsSent)));
  }

  private static boolean contains16(ByteBuffer b, int from, int to, int value) {
    for (int i = from; i + 1 < to; i += 2) {
      if (u16(b, i) == value) {
        return true;
      }
    }
    return false;
  }

  private static int u16(ByteBuffer b, int i) {
    return ((b.get(i) & 0xff) << 8) | (b.get(i + 1) & 0xff);
  }

  private static int u24(ByteBuffer b, int i) {
    return ((b.get(i) & 0xff) << 16) | u16(b, i + 1);
  }
}
