package org.voxca.pki;

import java.math.BigInteger;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;

/**
 * A delegated OCSP responder's certificate (RFC 6960 §4.2.2.2): issued by the CA, extended key
 * usage id-kp-OCSPSigning only, digitalSignature, not a CA, and id-pkix-ocsp-nocheck so clients do
 * not ask about the responder itself — which is why it lives only days.
 */
public final class OcspSignerCert {
  private OcspSignerCert() {}

  public static X509Certificate issue(
      Issuer issuer,
      String commonName,
      PublicKey key,
      BigInteger serial,
      Instant notBefore,
      Instant notAfter) {
    X509Certificate ca = issuer.certificate();
    SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(key.getEncoded());
    X509v3CertificateBuilder b =
        new X509v3CertificateBuilder(
            Names.of(ca.getSubjectX500Principal()),
            serial,
            Date.from(notBefore),
            Date.from(notAfter),
            Names.cn(commonName),
            spki);
    try {
      b.addExtension(Extension.authorityKeyIdentifier, false, KeyIds.authorityKeyId(ca));
      b.addExtension(Extension.subjectKeyIdentifier, false, KeyIds.subjectKeyId(spki));
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      b.addExtension(
          Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_OCSPSigning));
      b.addExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nocheck, false, DERNull.INSTANCE);
    } catch (CertIOException e) {
      throw new PkiException("cannot build the OCSP signer's extensions", e);
    }
    return CertBuilder.sign(b, issuer);
  }
}
