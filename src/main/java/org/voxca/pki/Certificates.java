package org.voxca.pki;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;

/** Conversions between PEM text, BC holders and JCA certificate and CRL objects. */
public final class Certificates {
  private Certificates() {}

  /** Every certificate in a PEM bundle, in file order; other PEM objects are an error. */
  public static List<X509Certificate> readCertificates(String pem) {
    List<X509Certificate> out = new ArrayList<>();
    for (Object o : Pem.readAll(pem)) {
      if (!(o instanceof X509CertificateHolder h)) {
        throw new PkiException("expected only certificates in the PEM bundle");
      }
      out.add(toX509(h));
    }
    return out;
  }

  /** The DER of the first certificate block of a PEM file, base64-decoded without a PEM parser. */
  public static byte[] firstDer(byte[] pem) {
    int b = indexOf(pem, BEGIN_CERT, 0);
    int e = b < 0 ? -1 : indexOf(pem, END_CERT, b);
    if (e < 0) {
      throw new PkiException("no certificate found");
    }
    try {
      return Base64.getMimeDecoder().decode(Arrays.copyOfRange(pem, b + BEGIN_CERT.length, e));
    } catch (IllegalArgumentException ex) {
      throw new PkiException("malformed PEM: " + Pem.oneLine(ex.getMessage()));
    }
  }

  private static final byte[] BEGIN_CERT =
      "-----BEGIN CERTIFICATE-----".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] END_CERT =
      "-----END CERTIFICATE-----".getBytes(StandardCharsets.US_ASCII);

  private static int indexOf(byte[] hay, byte[] needle, int from) {
    outer:
    for (int i = from; i <= hay.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** Every CRL in a PEM chain, in file order; other PEM objects are an error. */
  /** Every CRL of a PEM chain as stored (ASCII). */
  public static List<X509CRL> readCrls(byte[] pem) {
    return readCrls(new String(pem, java.nio.charset.StandardCharsets.US_ASCII));
  }

  public static List<X509CRL> readCrls(String pem) {
    List<X509CRL> out = new ArrayList<>();
    for (Object o : Pem.readAll(pem)) {
      if (!(o instanceof X509CRLHolder h)) {
        throw new PkiException("expected only CRLs in the PEM chain");
      }
      out.add(toX509(h));
    }
    return out;
  }

  public static X509Certificate toX509(X509CertificateHolder h) {
    try {
      return new JcaX509CertificateConverter().getCertificate(h);
    } catch (GeneralSecurityException e) {
      throw new PkiException("unreadable certificate: " + Pem.oneLine(e.getMessage()));
    }
  }

  public static X509CRL toX509(X509CRLHolder h) {
    try {
      return new JcaX509CRLConverter().getCRL(h);
    } catch (GeneralSecurityException e) {
      throw new PkiException("unreadable CRL: " + Pem.oneLine(e.getMessage()));
    }
  }

  public static byte[] der(X509Certificate c) {
    try {
      return c.getEncoded();
    } catch (GeneralSecurityException e) {
      throw new PkiException("cannot encode certificate", e);
    }
  }

  /** The CN of a certificate's subject, or "" when it has none. */
  public static String commonName(X509Certificate c) {
    return Names.commonName(c.getSubjectX500Principal());
  }
}
