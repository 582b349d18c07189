package org.voxca.pki;

import java.math.BigInteger;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.HashSet;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * The structure of a CSR as a careful CA checks it before storing anything: each extension once,
 * one extension request, values that decode (subjectAltName, basicConstraints, Puppet's pp_*
 * strings), only DNS and IP alt names and never a critical subjectAltName; and the facts the key
 * and signature policy needs (key kind and size, curve, signature digest).
 */
public final class CsrShape {
  private CsrShape() {}

  /** The first structural problem of {@code csr}, in one line; null when it has none. */
  public static String problem(Csr csr) {
    PKCS10CertificationRequest r = csr.request();
    Attribute[] extReqs = r.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest);
    int values = 0;
    for (Attribute a : extReqs) {
      values += a.getAttributeValues().length;
    }
    if (values > 1) {
      return "the certificate request holds " + values + " extension requests; one is allowed";
    }
    Set<ASN1ObjectIdentifier> seen = new HashSet<>();
    for (Attribute a : extReqs) {
      for (ASN1Encodable v : a.getAttributeValues()) {
        for (ASN1Encodable e : ASN1Sequence.getInstance(v)) {
          ASN1ObjectIdentifier oid =
              ASN1ObjectIdentifier.getInstance(ASN1Sequence.getInstance(e).getObjectAt(0));
          if (!seen.add(oid)) {
            return "the certificate request repeats extension " + oid.getId();
          }
        }
      }
    }
    for (Extension e : csr.extensions()) {
      String p = valueProblem(e);
      if (p != null) {
        return p;
      }
    }
    return null;
  }

  private static String valueProblem(Extension e) {
    ASN1ObjectIdentifier oid = e.getExtnId();
    if (oid.equals(Extension.subjectAlternativeName)) {
      return altNameProblem(e);
    }
    if (oid.equals(Extension.basicConstraints)) {
      try {
        BasicConstraints.getInstance(e.getParsedValue());
      } catch (RuntimeException ex) {
        return "malformed basicConstraints in certificate request";
      }
      return null;
    }
    if (oid.on(PuppetOids.REG_CERT_EXT)
        || oid.on(PuppetOids.PRIV_CERT_EXT)
        || oid.on(PuppetOids.AUTH_CERT_EXT)) {
      ASN1Primitive p;
      try {
        p = ASN1Primitive.fromByteArray(e.getExtnValue().getOctets());
      } catch (Exception ex) {
        p = null;
      }
      if (!(p instanceof ASN1String)) {
        return "extension " + PuppetOids.shortName(oid.getId()) + " must hold a string";
      }
    }
    return null;
  }

  private static String altNameProblem(Extension e) {
    if (e.isCritical()) {
      return "a critical subjectAltName is not allowed";
    }
    GeneralNames names;
    try {
      names = GeneralNames.getInstance(e.getParsedValue());
      names.getNames();
    } catch (RuntimeException ex) {
      return "malformed subjectAltName in certificate request";
    }
    for (GeneralName n : names.getNames()) {
      if (n.getTagNo() == GeneralName.dNSName) {
        if (!(n.getName() instanceof ASN1String)) {
          return "malformed DNS alt name in certificate request";
        }
      } else if (n.getTagNo() == GeneralName.iPAddress) {
        int len;
        try {
          len = ASN1OctetString.getInstance(n.getName()).getOctets().length;
        } catch (RuntimeException ex) {
          len = -1;
        }
        if (len != 4 && len != 16) {
          return "malformed IP alt name in certificate request";
        }
      } else {
        return "subjectAltName entries other than DNS and IP are not allowed (found "
            + typeName(n.getTagNo())
            + ")";
      }
    }
    return null;
  }

  private static String typeName(int tag) {
    return switch (tag) {
      case GeneralName.otherName -> "otherName";
      case GeneralName.rfc822Name -> "email";
      case GeneralName.x400Address -> "x400Address";
      case GeneralName.directoryName -> "directoryName";
      case GeneralName.ediPartyName -> "ediPartyName";
      case GeneralName.uniformResourceIdentifier -> "URI";
      case GeneralName.registeredID -> "registeredID";
      default -> "tag " + tag;
    };
  }

  /** {@code RSA-2048}, {@code EC secp256r1}, or the key's algorithm name. */
  public static String keyDescription(Csr csr) {
    PublicKey k = Keys.readPublicKey(csr.publicKeyInfo());
    if (k instanceof RSAPublicKey rsa) {
      return "RSA-" + rsa.getModulus().bitLength();
    }
    if (k instanceof ECPublicKey) {
      return "EC " + curve(csr);
    }
    return k.getAlgorithm();
  }

  /** RSA modulus bits, or 0 for another kind of key. */
  public static int rsaBits(Csr csr) {
    PublicKey k = Keys.readPublicKey(csr.publicKeyInfo());
    return k instanceof RSAPublicKey rsa ? rsa.getModulus().bitLength() : 0;
  }

  /** Whether the RSA public exponent is a sane one (odd, at least 3). */
  public static boolean rsaExponentSane(Csr csr) {
    PublicKey k = Keys.readPublicKey(csr.publicKeyInfo());
    if (!(k instanceof RSAPublicKey rsa)) {
      return true;
    }
    BigInteger e = rsa.getPublicExponent();
    return e.testBit(0) && e.compareTo(BigInteger.valueOf(3)) >= 0;
  }

  /** The named curve OID of an EC key ({@code 1.2.840.10045.3.1.7} …), or null. */
  public static String curve(Csr csr) {
    ASN1Encodable params = csr.publicKeyInfo().getAlgorithm().getParameters();
    return params instanceof ASN1ObjectIdentifier oid ? oid.getId() : null;
  }

  /** The OID of the CSR's signature algorithm. */
  public static String signatureAlgorithm(Csr csr) {
    return csr.request().getSignatureAlgorithm().getAlgorithm().getId();
  }
}
