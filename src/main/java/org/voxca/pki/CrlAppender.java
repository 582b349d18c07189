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
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;

/**
 * Re-signs a CRL with entries appended, without parsing the entries it already has: the DER of
 * the existing {@code revokedCertificates} is kept as bytes and new entries are encoded after it.
 * What makes one revocation cheap when the CRL holds 100,000 serials. Same profile as
 * {@link CrlBuilder}: v2, CRL Number, AKI keyid, keyCompromise entries.
 */
public final class CrlAppender {
  private CrlAppender() {}

  /** The content bytes of the {@code revokedCertificates} of a DER CRL (empty when it has none). */
  public static byte[] entriesOf(byte[] crlDer) {
    Der outer = Der.at(crlDer, 0);          // CertificateList
    Der tbs = Der.at(crlDer, outer.contentStart); // TBSCertList
    int p = tbs.contentStart;
    int end = tbs.end();
    Der e = Der.at(crlDer, p);
    if (e.tag == 0x02) {                     // version
      p = e.end();
      e = Der.at(crlDer, p);
    }
    p = e.end();                             // signature AlgorithmIdentifier
    p = Der.at(crlDer, p).end();             // issuer
    p = Der.at(crlDer, p).end();             // thisUpdate
    if (p < end) {
      e = Der.at(crlDer, p);
      if (e.tag == 0x17 || e.tag == 0x18) {  // nextUpdate
        p = e.end();
      }
    }
    if (p < end) {
      e = Der.at(crlDer, p);
      if (e.tag == 0x30) {
        byte[] out = new byte[e.length];
        System.arraycopy(crlDer, e.contentStart, out, 0, e.length);
        return out;
      }
    }
    return new byte[0];
  }

  /** The DER of one entry: serial, revocation date, reasonCode keyCompromise. */
  public static byte[] entry(BigInteger serial, Instant date) {
    try {
      ExtensionsGenerator g = new ExtensionsGenerator();
      g.addExtension(Extension.reasonCode, false, CRLReason.lookup(CRLReason.keyCompromise));
      return new DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {
          new ASN1Integer(serial), new Time(Date.from(date)), g.generate()}).getEncoded(ASN1Encoding.DER);
    } catch (IOException e) {
      throw new PkiException("cannot encode a CRL entry", e);
    }
  }

  /** A signed CRL (DER) with the given entries (concatenated entry DER). */
  public static byte[] sign(Issuer issuer, Instant thisUpdate, Instant nextUpdate, BigInteger number, byte[] entries) {
    try {
      String alg = Keys.signatureAlgorithm(issuer.key());
      byte[] sigAlg = new DefaultSignatureAlgorithmIdentifierFinder().find(alg).getEncoded(ASN1Encoding.DER);
      ExtensionsGenerator g = new ExtensionsGenerator();
      g.addExtension(Extension.cRLNumber, false, new CRLNumber(number));
      g.addExtension(Extension.authorityKeyIdentifier, false,
          new AuthorityKeyIdentifier(CertBuilder.subjectKeyIdOf(issuer.certificate())));
      Extensions exts = g.generate();
      ByteArrayOutputStream tbs = new ByteArrayOutputStream(entries.length + 1024);
      tbs.writeBytes(new byte[] {0x02, 0x01, 0x01});
      tbs.writeBytes(sigAlg);
      tbs.writeBytes(issuer.certificate().getSubjectX500Principal().getEncoded());
      tbs.writeBytes(new Time(Date.from(thisUpdate)).getEncoded(ASN1Encoding.DER));
      tbs.writeBytes(new Time(Date.from(nextUpdate)).getEncoded(ASN1Encoding.DER));
      if (entries.length > 0) {
        Der.write(tbs, 0x30, entries);
      }
      Der.write(tbs, 0xA0, exts.getEncoded(ASN1Encoding.DER));
      ByteArrayOutputStream tbsDer = new ByteArrayOutputStream(tbs.size() + 8);
      Der.write(tbsDer, 0x30, tbs.toByteArray());
      byte[] tbsBytes = tbsDer.toByteArray();
      Signature s = Signature.getInstance(alg);
      s.initSign(issuer.key());
      s.update(tbsBytes);
      byte[] sig = s.sign();
      byte[] bits = new byte[sig.length + 1];
      System.arraycopy(sig, 0, bits, 1, sig.length);
      ByteArrayOutputStream body = new ByteArrayOutputStream(tbsBytes.length + sig.length + 64);
      body.writeBytes(tbsBytes);
      body.writeBytes(sigAlg);
      Der.write(body, 0x03, bits);
      ByteArrayOutputStream crl = new ByteArrayOutputStream(body.size() + 8);
      Der.write(crl, 0x30, body.toByteArray());
      return crl.toByteArray();
    } catch (IOException | GeneralSecurityException e) {
      throw new PkiException("cannot sign the CRL", e);
    }
  }

  /** PEM text of a DER CRL. */
  public static String pem(byte[] der) {
    return "-----BEGIN X509 CRL-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END X509 CRL-----\n";
  }

  /** A DER header: tag, where the content starts, its length. */
  private record Der(int tag, int contentStart, int length) {
    int end() {
      return contentStart + length;
    }

    static Der at(byte[] b, int p) {
      int tag = b[p] & 0xFF;
      int len = b[p + 1] & 0xFF;
      int start = p + 2;
      if (len > 0x80) {
        int n = len & 0x7F;
        len = 0;
        for (int i = 0; i < n; i++) {
          len = (len << 8) | (b[start + i] & 0xFF);
        }
        start += n;
      } else if (len == 0x80) {
        throw new PkiException("indefinite-length CRL encoding is not DER");
      }
      if (start + len > b.length || len < 0) {
        throw new PkiException("truncated CRL encoding");
      }
      return new Der(tag, start, len);
    }

    static void write(ByteArrayOutputStream out, int tag, byte[] content) {
      out.write(tag);
      int len = content.length;
      if (len < 0x80) {
        out.write(len);
      } else {
        int bytes = (32 - Integer.numberOfLeadingZeros(len) + 7) / 8;
        out.write(0x80 | bytes);
        for (int i = bytes - 1; i >= 0; i--) {
          out.write((len >>> (8 * i)) & 0xFF);
        }
      }
      out.writeBytes(content);
    }
  }
}
