package org.voxca.pki;

import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A CA certificate's life extended: the same key, subject, issuer, serial number and extensions (so
 * the same key identifiers), new validity dates, signed again with the key that signed it. Every
 * certificate issued under the old CA certificate verifies under the new one — their authority key
 * identifier names the same key, issuer and serial — and clients holding the old one keep working
 * until it expires.
 */
public final class CaExtension {
  private CaExtension() {}

  /** {@code old} re-signed by {@code signingKey} with the dates given. */
  public static X509Certificate extend(
      X509Certificate old, PrivateKey signingKey, Instant notBefore, Instant notAfter) {
    try {
      X509CertificateHolder h = new X509CertificateHolder(old.getEncoded());
      X509v3CertificateBuilder b =
          new X509v3CertificateBuilder(
              h.getIssuer(),
              h.getSerialNumber(),
              Date.from(notBefore),
              Date.from(notAfter),
              h.getSubject(),
              SubjectPublicKeyInfo.getInstance(h.getSubjectPublicKeyInfo()));
      Extensions exts = h.getExtensions();
      if (exts != null) {
        for (ASN1ObjectIdentifier oid : exts.getExtensionOIDs()) {
          b.addExtension(exts.getExtension(oid));
        }
      }
      return Certificates.toX509(
          b.build(
              new JcaContentSignerBuilder(Keys.signatureAlgorithm(signingKey)).build(signingKey)));
    } catch (CertificateEncodingException | java.io.IOException | OperatorCreationException e) {
      throw new PkiException("cannot extend the CA certificate: " + e.getMessage(), e);
    }
  }
}
