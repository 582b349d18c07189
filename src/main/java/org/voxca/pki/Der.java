package org.voxca.pki;

import java.io.ByteArrayOutputStream;

/**
 * A DER header read in place: tag, where the content starts, its length. No copies, no object tree.
 */
record Der(int tag, int contentStart, int length) {
  int end() {
    return contentStart + length;
  }

  byte[] content(byte[] b) {
    byte[] out = new byte[length];
    System.arraycopy(b, contentStart, out, 0, length);
    return out;
  }

  /** The whole element, header included, starting at {@code p}. */
  static byte[] element(byte[] b, int p) {
    Der d = at(b, p);
    byte[] out = new byte[d.end() - p];
    System.arraycopy(b, p, out, 0, out.length);
    return out;
  }

  static Der at(byte[] b, int p) {
    if (p + 2 > b.length) {
      throw new PkiException("truncated DER encoding");
    }
    int tag = b[p] & 0xFF;
    int len = b[p + 1] & 0xFF;
    int start = p + 2;
    if (len > 0x80) {
      int n = len & 0x7F;
      if (n > 4 || start + n > b.length) {
        throw new PkiException("bad DER length");
      }
      len = 0;
      for (int i = 0; i < n; i++) {
        len = (len << 8) | (b[start + i] & 0xFF);
      }
      start += n;
    } else if (len == 0x80) {
      throw new PkiException("indefinite-length encoding is not DER");
    }
    if (len < 0 || start + len > b.length) {
      throw new PkiException("truncated DER encoding");
    }
    return new Der(tag, start, len);
  }

  /** The header (tag and length) of an element of {@code length} content bytes. */
  static byte[] header(int tag, int length) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(6);
    writeHeader(out, tag, length);
    return out.toByteArray();
  }

  static void write(ByteArrayOutputStream out, int tag, byte[] content) {
    writeHeader(out, tag, content.length);
    out.writeBytes(content);
  }

  private static void writeHeader(ByteArrayOutputStream out, int tag, int len) {
    out.write(tag);
    if (len < 0x80) {
      out.write(len);
    } else {
      int bytes = (32 - Integer.numberOfLeadingZeros(len) + 7) / 8;
      out.write(0x80 | bytes);
      for (int i = bytes - 1; i >= 0; i--) {
        out.write((len >>> (8 * i)) & 0xFF);
      }
    }
  }
}
