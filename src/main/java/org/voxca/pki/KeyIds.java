package org.voxca.pki;

import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;

/** Key identifiers (SKI and AKI): how certificates name their key and their issuer's key. */
public final class KeyIds {
  private KeyIds() {}

  /**
   * AKI of certificates this CA issues: the CA certificate's own SKI (computed from its key when it
   * has none), plus the CA's issuer name and serial.
   */
  public static AuthorityKeyIdentifier authorityKeyId(X509Certificate ca) {
    byte[] keyId = subjectKeyIdOf(ca);
    GeneralNames issuer = new GeneralNames(new GeneralName(Names.of(ca.getIssuerX500Principal())));
    return new AuthorityKeyIdentifier(keyId, issuer, ca.getSerialNumber());
  }

  /** The SKI value of a certificate, or the RFC 5280 method-1 hash of its key when absent. */
  public static byte[] subjectKeyIdOf(X509Certificate c) {
    byte[] ext = c.getExtensionValue(Extension.subjectKeyIdentifier.getId());
    if (ext != null) {
      try {
        return SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(ext).getOctets())
            .getKeyIdentifier();
      } catch (RuntimeException ignored) {
        // fall through to the computed id
      }
    }
    return subjectKeyId(SubjectPublicKeyInfo.getInstance(c.getPublicKey().getEncoded()))
        .getKeyIdentifier();
  }

  /** The AKI keyIdentifier of a certificate, or null when it has none. */
  public static byte[] authorityKeyIdOf(X509Certificate c) {
    byte[] ext = c.getExtensionValue(Extension.authorityKeyIdentifier.getId());
    if (ext == null) {
      return null;
    }
    try {
      return AuthorityKeyIdentifier.getInstance(ASN1OctetString.getInstance(ext).getOctets())
          .getKeyIdentifier();
    } catch (RuntimeException e) {
      return null;
    }
  }

  public static SubjectKeyIdentifier subjectKeyId(SubjectPublicKeyInfo spki) {
    try {
      return new JcaX509ExtensionUtils().createSubjectKeyIdentifier(spki);
    } catch (NoSuchAlgorithmException e) {
      throw new PkiException("SHA-1 unavailable", e);
    }
  }
}
