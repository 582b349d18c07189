package org.voxca.pki;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;

/** Public-key helpers: deriving a public key, comparing keys. */
public final class PublicKeys {
  private PublicKeys() {}

  /** Derives the public half of an RSA CRT private key. */
  static PublicKey derive(PrivateKey key) {
    if (key instanceof RSAPrivateCrtKey k) {
      try {
        return KeyFactory.getInstance("RSA")
            .generatePublic(new RSAPublicKeySpec(k.getModulus(), k.getPublicExponent()));
      } catch (GeneralSecurityException e) {
        throw new PkiException("cannot derive public key", e);
      }
    }
    throw new PkiException("PKCS#8 keys other than RSA need the public key alongside");
  }

  /** True when two encoded public keys are the same key. */
  public static boolean same(PublicKey a, PublicKey b) {
    return Arrays.equals(a.getEncoded(), b.getEncoded());
  }
}
