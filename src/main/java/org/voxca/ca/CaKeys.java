package org.voxca.ca;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import org.voxca.pki.Keys;
import org.voxca.pki.Pem;
import org.voxca.pki.TokenReference;

/**
 * Where the CA's private keys live and how they are reached: in software (the PEM a store keeps,
 * the default, as Puppet Server keeps it) or in a PKCS#11 token, where the store keeps only a
 * reference and every signature is made by the token. {@code role} is {@code ca} for the signing
 * CA, {@code root} for a two-level CA's root.
 */
public interface CaKeys {
  /** Keys held as PEM in the store. */
  CaKeys SOFTWARE = new Software();

  /** A new key pair for {@code role}: RSA of {@code rsaBits}, or EC on {@code ecCurve} when set. */
  KeyPair generate(String role, int rsaBits, String ecCurve);

  /**
   * What the store keeps for {@code keys} once {@code cert} (the role's certificate) exists: the
   * private key as PEM, or a reference to the token object that now holds it.
   */
  String keep(String role, KeyPair keys, X509Certificate cert);

  /** The key pair from what the store kept; a {@link StartupException} says why it cannot. */
  KeyPair open(String role, String kept);

  /**
   * Destroys what kept a withdrawn key of {@code role} outside the store (a token's object); true
   * when it did. A plain or encrypted key lives in the store, which deletes it: nothing to do.
   */
  default boolean discard(String role, String kept) {
    return false;
  }

  /** Why the keys cannot sign now (a token that fails), or null when they can. */
  default String problem() {
    return null;
  }

  /** Checks that the keys can still sign, and recovers ones that can again (a token back). */
  default void check() {}

  /** Releases what the keys hold (a token's login); the keys are not used after. */
  default void close() {}

  /** For logs: {@code file} or the token's name. */
  String describe();

  /**
   * Refuses (503, an ERROR in the log) to sign for {@code name} while the key cannot sign: nothing
   * is issued, nothing written.
   */
  static void requireAvailable(CaKeys keys, String name) {
    String problem = keys.problem();
    if (problem != null) {
      String message =
          "The CA key is unavailable ("
              + problem
              + "): nothing can be signed until the token answers again";
      org.slf4j.LoggerFactory.getLogger(CaKeys.class)
          .error("Refused to sign for {}: {}", name, message);
      throw new CaException(Reason.CA_UNUSABLE, message);
    }
  }

  /** Keys as PEM in the store. */
  final class Software implements CaKeys {
    private Software() {}

    @Override
    public KeyPair generate(String role, int rsaBits, String ecCurve) {
      return ecCurve == null ? Keys.rsa(rsaBits) : Keys.ec(ecCurve);
    }

    @Override
    public String keep(String role, KeyPair keys, X509Certificate cert) {
      return Pem.encode(keys.getPrivate());
    }

    @Override
    public KeyPair open(String role, String kept) {
      if (kept.contains(TokenReference.BEGIN)) {
        throw new StartupException(
            "The CA's "
                + role
                + " key lives in a PKCS#11 token ("
                + TokenReference.label(kept)
                + "): configure voxca { ca-key { type: pkcs11, library, token-label, pin-file } }");
      }
      return Keys.readKeyPair(kept);
    }

    @Override
    public String describe() {
      return "file";
    }
  }
}
