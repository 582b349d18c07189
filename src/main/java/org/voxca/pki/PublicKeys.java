package org.voxca.pki;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import org.bouncycastle.jcajce.provider.asymmetric.util.EC5Util;
import org.bouncycastle.math.ec.ECPoint;

/** Public-key helpers: deriving a public key, comparing keys. */
public final class PublicKeys {
  private PublicKeys() {}

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
