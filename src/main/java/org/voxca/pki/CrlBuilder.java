package org.voxca.pki;

import java.io.IOException;
import java.math.BigInteger;
import java.security.cert.CRLException;
import java.security.cert.X509CRL;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Builds the CA's own CRL: v2, CRL Number, AKI keyid, keyCompromise entries. */
public final class CrlBuilder {
  private CrlBuilder() {}

  /** A CRL signed by {@code issuer}, listing {@code revoked} (serial → revocation date). */
  public static X509CRL build(
      Issuer issuer,
      Instant thisUpdate,
      Instant nextUpdate,
      BigInteger crlNumber,
      Map<BigInteger, Instant> revoked) {
    return build(issuer, thisUpdate, nextUpdate, crlNumber, null, revoked);
  }

  /** As {@link #build}, keeping every entry of {@code previous} (its dates and reasons). */
  public static X509CRL build(
      Issuer issuer,
      Instant thisUpdate,
      Instant nextUpdate,
      BigInteger crlNumber,
      X509CRL previous,
      Map<BigInteger, Instant> revoked) {
    X509v2CRLBuilder b =
        new X509v2CRLBuilder(
            Names.of(issuer.certificate().getSubjectX500Principal()), Date.from(thisUpdate));
    b.setNextUpdate(Date.from(nextUpdate));
    if (previous != null) {
      try {
        b.addCRL(new X509CRLHolder(previous.getEncoded()));
      } catch (IOException | CRLException e) {
        throw new PkiException("cannot read the previous CRL", e);
      }
    }
    for (Map.Entry<BigInteger, Instant> e : revoked.entrySet()) {
      b.addCRLEntry(e.getKey(), Date.from(e.getValue()), CRLReason.keyCompromise);
    }
    try {
      b.addExtension(Extension.cRLNumber, false, new CRLNumber(crlNumber));
      b.addExtension(
          Extension.authorityKeyIdentifier,
          false,
          new AuthorityKeyIdentifier(KeyIds.subjectKeyIdOf(issuer.certificate())));
      return Certificates.toX509(
          b.build(
              new JcaContentSignerBuilder(Keys.signatureAlgorithm(issuer.key()))
                  .build(issuer.key())));
    } catch (CertIOException | OperatorCreationException e) {
      throw new PkiException("cannot sign CRL", e);
    }
  }

  /** The CRL Number of a CRL, or -1 when absent. */
  public static BigInteger number(X509CRL crl) {
    byte[] ext = crl.getExtensionValue(Extension.cRLNumber.getId());
    if (ext == null) {
      return BigInteger.ONE.negate();
    }
    return CRLNumber.getInstance(ASN1OctetString.getInstance(ext).getOctets()).getCRLNumber();
  }
}
