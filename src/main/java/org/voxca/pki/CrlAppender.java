package org.voxca.pki;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;

/**
 * Re-signs a CRL with entries appended, without parsing the entries it already has: the DER of the
 * existing {@code revokedCertificates} is kept as bytes and new entries are encoded after it. What
 * makes one revocation cheap when the CRL holds 100,000 serials. Same profile as {@link
 * CrlBuilder}: v2, CRL Number, AKI keyid, keyCompromise entries.
 */
public final class CrlAppender {
  private CrlAppender() {}

  /** The DER of one entry: serial, revocation date, reasonCode keyCompromise. */
  public static byte[] entry(BigInteger serial, Instant date) {
    try {
      ExtensionsGenerator g = new ExtensionsGenerator();
      g.addExtension(Extension.reasonCode, false, CRLReason.lookup(CRLReason.keyCompromise));
      return new DERSequence(
              new ASN1Encodable[] {
                new ASN1Integer(serial), new Time(Date.from(date)), g.generate()
              })
          .getEncoded(ASN1Encoding.DER);
    } catch (IOException e) {
      throw new PkiException("cannot encode a CRL entry", e);
    }
  }

  /** A signed CRL (DER) with the given entries (concatenated entry DER). */
  public static byte[] sign(
      Issuer issuer, Instant thisUpdate, Instant nextUpdate, BigInteger number, byte[] entries) {
    return sign(issuer, thisUpdate, nextUpdate, number, entries, entries.length);
  }

  /**
   * A signed CRL (DER) with the first {@code length} bytes of {@code entries}. The entries are
   * hashed in place and copied once, into the result: at 100,000 entries (3.5 MB) the copies and
   * garbage of building it through nested buffers cost more than the signature.
   */
  public static byte[] sign(
      Issuer issuer,
      Instant thisUpdate,
      Instant nextUpdate,
      BigInteger number,
      byte[] entries,
      int length) {
    byte[][] parts = signedParts(issuer, thisUpdate, nextUpdate, number, entries, length);
    int size = 0;
    for (byte[] part : parts) {
      size += part == entries ? length : part.length;
    }
    byte[] out = new byte[size];
    int p = 0;
    for (byte[] part : parts) {
      int n = part == entries ? length : part.length;
      System.arraycopy(part, 0, out, p, n);
      p += n;
    }
    return out;
  }

  /**
   * The signed CRL as PEM followed by {@code tail} (the rest of the chain), base64-encoded straight
   * from its parts into one array: the only large allocation of a revocation.
   */
  public static byte[] signPem(
      Issuer issuer,
      Instant thisUpdate,
      Instant nextUpdate,
      BigInteger number,
      byte[] entries,
      int length,
      byte[] tail) {
    byte[][] parts = signedParts(issuer, thisUpdate, nextUpdate, number, entries, length);
    int size = 0;
    for (byte[] part : parts) {
      size += part == entries ? length : part.length;
    }
    Base64Lines pem = new Base64Lines(size, tail);
    for (byte[] part : parts) {
      pem.write(part, part == entries ? length : part.length);
    }
    return pem.finish();
  }

  /**
   * The DER of a signed CRL as consecutive parts; {@code entries} is one of them, to be read up to
   * {@code length}.
   */
  private static byte[][] signedParts(
      Issuer issuer,
      Instant thisUpdate,
      Instant nextUpdate,
      BigInteger number,
      byte[] entries,
      int length) {
    try {
      String alg = Keys.signatureAlgorithm(issuer.key());
      byte[] sigAlg =
          new DefaultSignatureAlgorithmIdentifierFinder().find(alg).getEncoded(ASN1Encoding.DER);
      ExtensionsGenerator g = new ExtensionsGenerator();
      g.addExtension(Extension.cRLNumber, false, new CRLNumber(number));
      g.addExtension(
          Extension.authorityKeyIdentifier,
          false,
          new AuthorityKeyIdentifier(KeyIds.subjectKeyIdOf(issuer.certificate())));
      ByteArrayOutputStream head = new ByteArrayOutputStream(512);
      head.writeBytes(new byte[] {0x02, 0x01, 0x01});
      head.writeBytes(sigAlg);
      head.writeBytes(issuer.certificate().getSubjectX500Principal().getEncoded());
      head.writeBytes(new Time(Date.from(thisUpdate)).getEncoded(ASN1Encoding.DER));
      head.writeBytes(new Time(Date.from(nextUpdate)).getEncoded(ASN1Encoding.DER));
      byte[] pre = head.toByteArray();
      byte[] entriesHeader = length > 0 ? Der.header(0x30, length) : new byte[0];
      ByteArrayOutputStream ext = new ByteArrayOutputStream(128);
      Der.write(ext, 0xA0, g.generate().getEncoded(ASN1Encoding.DER));
      byte[] exts = ext.toByteArray();
      int tbsContent = pre.length + entriesHeader.length + length + exts.length;
      byte[] tbsHeader = Der.header(0x30, tbsContent);
      Signature s = Signature.getInstance(alg);
      s.initSign(issuer.key());
      s.update(tbsHeader);
      s.update(pre);
      s.update(entriesHeader);
      s.update(entries, 0, length);
      s.update(exts);
      byte[] sig = s.sign();
      byte[] bits = new byte[sig.length + 1];
      System.arraycopy(sig, 0, bits, 1, sig.length);
      byte[] bitsHeader = Der.header(0x03, bits.length);
      int content = tbsHeader.length + tbsContent + sigAlg.length + bitsHeader.length + bits.length;
      return new byte[][] {
        Der.header(0x30, content),
        tbsHeader,
        pre,
        entriesHeader,
        entries,
        exts,
        sigAlg,
        bitsHeader,
        bits
      };
    } catch (IOException | GeneralSecurityException e) {
      throw new PkiException("cannot sign the CRL", e);
    }
  }

  private static final byte[] BEGIN =
      "-----BEGIN X509 CRL-----\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] END = "-----END X509 CRL-----\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
          .getBytes(StandardCharsets.US_ASCII);

  /** PEM bytes of a DER CRL followed by {@code tail} (the rest of a chain), in one array. */
  public static byte[] pemBytes(byte[] der, byte[] tail) {
    Base64Lines pem = new Base64Lines(der.length, tail);
    pem.write(der, der.length);
    return pem.finish();
  }

  /**
   * A CRL's PEM written into an array of its final size: BEGIN line, base64 in 64-column lines (as
   * {@link #pem} writes them) fed in parts of any length, END line, then a tail.
   */
  private static final class Base64Lines {
    private final byte[] out;
    private final byte[] tail;
    private final byte[] carry = new byte[3];
    private int carried;
    private int p;
    private int col;

    Base64Lines(int derLength, byte[] tail) {
      int chars = (derLength + 2) / 3 * 4;
      this.out = new byte[BEGIN.length + chars + (chars + 63) / 64 + END.length + tail.length];
      this.tail = tail;
      System.arraycopy(BEGIN, 0, out, 0, BEGIN.length);
      p = BEGIN.length;
    }

    void write(byte[] b, int len) {
      int i = 0;
      while (carried > 0 && carried < 3 && i < len) {
        carry[carried++] = b[i++];
      }
      if (carried == 3) {
        quad(carry[0] & 0xFF, carry[1] & 0xFF, carry[2] & 0xFF, 3);
        carried = 0;
      }
      for (; i + 3 <= len; i += 3) {
        quad(b[i] & 0xFF, b[i + 1] & 0xFF, b[i + 2] & 0xFF, 3);
      }
      while (i < len) {
        carry[carried++] = b[i++];
      }
    }

    private void quad(int b0, int b1, int b2, int real) {
      out[p++] = ALPHABET[b0 >>> 2];
      out[p++] = ALPHABET[((b0 & 3) << 4) | (b1 >>> 4)];
      out[p++] = real > 1 ? ALPHABET[((b1 & 15) << 2) | (b2 >>> 6)] : (byte) '=';
      out[p++] = real > 2 ? ALPHABET[b2 & 63] : (byte) '=';
      col += 4;
      if (col == 64) {
        out[p++] = '\n';
        col = 0;
      }
    }

    byte[] finish() {
      if (carried > 0) {
        quad(carry[0] & 0xFF, carried > 1 ? carry[1] & 0xFF : 0, 0, carried);
      }
      if (col > 0) {
        out[p++] = '\n';
      }
      System.arraycopy(END, 0, out, p, END.length);
      System.arraycopy(tail, 0, out, p + END.length, tail.length);
      return out;
    }
  }

  /** PEM text of a DER CRL. */
  public static String pem(byte[] der) {
    return "-----BEGIN X509 CRL-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END X509 CRL-----\n";
  }
}
