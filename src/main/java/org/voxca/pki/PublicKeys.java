package org.voxca.pki;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.jcajce.provider.asymmetric.util.EC5Util;
import org.bouncycastle.math.ec.ECPoint;

/** Public-key helpers: deriving a public key, comparing keys. */
public final class PublicKeys {
  private PublicKeys() {}

  /** "RSA 2048", "EC P-256 (prime256v1)", or the algorithm's OID. */
  public static String describe(SubjectPublicKeyInfo info) {
    try {
      AsymmetricKeyParameter k = PublicKeyFactory.createKey(info);
      if (k instanceof RSAKeyParameters rsa) {
        return "RSA " + rsa.getModulus().bitLength();
      }
      if (k instanceof ECPublicKeyParameters ec) {
        String curve =
            info.getAlgorithm().getParameters() instanceof ASN1ObjectIdentifier oid
                ? ECNamedCurveTable.getName(oid)
                : null;
        return "EC "
            + ec.getParameters().getCurve().getFieldSize()
            + (curve == null ? "" : " (" + curve + ")");
      }
    } catch (IOException | RuntimeException e) {
      // fall through: shown by its algorithm
    }
    return info.getAlgorithm().getAlgorithm().getId();
  }

  /** As {@link #describe(SubjectPublicKeyInfo)}, for a key. */
  public static String describe(PublicKey key) {
    return describe(SubjectPublicKeyInfo.getInstance(key.getEncoded()));
  }

  /** Derives the public half of an RSA CRT or an EC private key. */
  static PublicKey derive(PrivateKey key) {
    if (key instanceof RSAPrivateCrtKey k) {
      try {
        return KeyFactory.getInstance("RSA")
            .generatePublic(new RSAPublicKeySpec(k.getModulus(), k.getPublicExponent()));
      } catch (GeneralSecurityException e) {
        throw new PkiException("cannot derive public key", e);
      }
    }
    if (key instanceof ECPrivateKey ec) {
      try {
        ECPoint q = EC5Util.convertSpec(ec.getParams()).getG().multiply(ec.getS()).normalize();
        java.security.spec.ECPoint w =
            new java.security.spec.ECPoint(
                q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
        return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, ec.getParams()));
      } catch (GeneralSecurityException e) {
        throw new PkiException("cannot derive public key", e);
      }
    }
    throw new PkiException("keys other than RSA and EC need the public key alongside");
  }

  /** True when two encoded public keys are the same key. */
  public static boolean same(PublicKey a, PublicKey b) {
    return Arrays.equals(a.getEncoded(), b.getEncoded());
  }
}
