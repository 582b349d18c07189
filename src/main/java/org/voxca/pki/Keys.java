package org.voxca.pki;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/** Key generation and key PEM reading. */
public final class Keys {
  private Keys() {}

  public static KeyPair rsa(int bits) {
    if (bits < 1024 || bits > 16384) {
      throw new IllegalArgumentException("RSA key length out of range: " + bits);
    }
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(bits);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new PkiException("cannot generate RSA key", e);
    }
  }

  public static KeyPair ec(String curve) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec(curve));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new PkiException("cannot generate EC key", e);
    }
  }

  /** Reads a private key from PKCS#1 ({@code RSA PRIVATE KEY}), SEC1 or PKCS#8 PEM. */
  public static KeyPair readKeyPair(String pem) {
    List<Object> objects = Pem.readAll(pem);
    JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
    try {
      for (Object o : objects) {
        if (o instanceof PEMKeyPair kp) {
          if (kp.getPublicKeyInfo() == null) { // SEC1 without its public key
            PrivateKey priv = conv.getPrivateKey(kp.getPrivateKeyInfo());
            return new KeyPair(PublicKeys.derive(priv), priv);
          }
          return conv.getKeyPair(kp);
        }
        if (o instanceof PrivateKeyInfo pki) {
          PrivateKey priv = conv.getPrivateKey(pki);
          return new KeyPair(PublicKeys.derive(priv), priv);
        }
        if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
          throw new PkiException("encrypted private keys are not supported");
        }
      }
    } catch (IOException e) {
      throw new PkiException("unreadable private key: " + Pem.oneLine(e.getMessage()));
    }
    throw new PkiException("no private key found in PEM");
  }

  public static PublicKey readPublicKey(SubjectPublicKeyInfo info) {
    try {
      return new JcaPEMKeyConverter().getPublicKey(info);
    } catch (IOException e) {
      throw new PkiException("unreadable public key", e);
    }
  }

  /** The JCA signature algorithm a CA key signs with: SHA256withRSA, or SHA256withECDSA. */
  public static String signatureAlgorithm(PrivateKey key) {
    return "EC".equals(key.getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA";
  }
}
