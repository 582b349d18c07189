package org.voxca.bench;

import java.security.KeyPair;
import org.voxca.pki.EncryptedKeys;
import org.voxca.pki.Keys;
import org.voxca.pki.Pem;

/**
 * The cost of a CA key encrypted at rest: {@code bench/run-keys}. Sealing and opening an RSA-4096
 * and an EC P-256 key (PBKDF2-HMAC-SHA256, {@link EncryptedKeys#ITERATIONS} rounds, AES-256-CBC):
 * what a start (or a replica's first start from the database) adds, once.
 */
public final class KeyBench {
  private KeyBench() {}

  public static void main(String[] args) {
    char[] pass = "a passphrase of some length".toCharArray();
    for (String kind : new String[] {"RSA-4096", "EC P-256"}) {
      KeyPair key = kind.startsWith("RSA") ? Keys.rsa(4096) : Keys.ec("secp256r1");
      String plain = Pem.encode(key.getPrivate());
      long sealMin = Long.MAX_VALUE;
      long openMin = Long.MAX_VALUE;
      for (int i = 0; i < 6; i++) {
        long t0 = System.nanoTime();
        String sealed = EncryptedKeys.seal(plain, pass);
        long t1 = System.nanoTime();
        EncryptedKeys.open(sealed, pass);
        long t2 = System.nanoTime();
        if (i > 0) { // the first run warms the JIT
          sealMin = Math.min(sealMin, t1 - t0);
          openMin = Math.min(openMin, t2 - t1);
        }
      }
      System.out.printf(
          "%s: seal %.0f ms, open %.0f ms (best of 5 after a warm-up)%n",
          kind, sealMin / 1e6, openMin / 1e6);
    }
  }
}
