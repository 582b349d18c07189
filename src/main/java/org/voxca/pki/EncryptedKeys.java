package org.voxca.pki;

import java.io.IOException;
import java.io.StringWriter;
import java.security.PrivateKey;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

/**
 * Private keys encrypted at rest: PKCS#8 {@code ENCRYPTED PRIVATE KEY} with PBES2 — PBKDF2 over
 * HMAC-SHA256 ({@link #ITERATIONS} rounds) and AES-256-CBC — which OpenSSL reads ({@code openssl
 * pkey -passin}). Pure X.509 work: the passphrase comes from the caller.
 */
public final class EncryptedKeys {
  /** PBKDF2 rounds: OWASP's 2023 figure for HMAC-SHA256; about a third of a second here. */
  public static final int ITERATIONS = 600_000;

  /** Bouncy Castle for AES-CBC with PKCS#7 padding, which the JDK names otherwise. */
  private static final BouncyCastleProvider BC = new BouncyCastleProvider();

  /** The PEM label of an encrypted PKCS#8 key. */
  private static final String LABEL = "ENCRYPTED PRIVATE KEY";

  private EncryptedKeys() {}

  /** True when {@code pem} holds an encrypted private key. */
  public static boolean encrypted(String pem) {
    return pem.contains("BEGIN " + LABEL);
  }

  /** {@code plainPem}'s key, encrypted under {@code passphrase}. */
  public static String seal(String plainPem, char[] passphrase) {
    PrivateKey key = Keys.readKeyPair(plainPem).getPrivate();
    try {
      JceOpenSSLPKCS8EncryptorBuilder b =
          new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
              .setPRF(PKCS8Generator.PRF_HMACSHA256)
              .setProvider(BC)
              .setIterationCount(ITERATIONS)
              .setPassword(passphrase);
      JcaPKCS8Generator gen = new JcaPKCS8Generator(key, b.build());
      StringWriter out = new StringWriter();
      try (JcaPEMWriter w = new JcaPEMWriter(out)) {
        w.writeObject(gen.generate());
      }
      return out.toString();
    } catch (OperatorCreationException | IOException e) {
      throw new PkiException("cannot encrypt the private key: " + e.getMessage(), e);
    }
  }

  /** The key in {@code pem} decrypted with {@code passphrase}, as plain PKCS#8 PEM. */
  public static String open(String pem, char[] passphrase) {
    List<Object> objects = Pem.readAll(pem);
    for (Object o : objects) {
      if (o instanceof PKCS8EncryptedPrivateKeyInfo enc) {
        try {
          PrivateKeyInfo info =
              enc.decryptPrivateKeyInfo(
                  new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(BC).build(passphrase));
          PrivateKey key = new JcaPEMKeyConverter().getPrivateKey(info);
          return Pem.encode(key);
        } catch (PKCSException e) {
          throw new PkiException("wrong passphrase for the encrypted private key");
        } catch (OperatorCreationException | IOException e) {
          throw new PkiException("cannot decrypt the private key: " + Pem.oneLine(e.getMessage()));
        }
      }
    }
    throw new PkiException("no encrypted private key found in PEM");
  }
}
