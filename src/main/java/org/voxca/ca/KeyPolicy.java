package org.voxca.ca;

import java.util.Map;
import org.voxca.pki.Csr;
import org.voxca.pki.CsrShape;

/**
 * The keys and signatures voxca accepts in a CSR (stricter than Puppet): RSA of at least {@code
 * min-rsa-key-bits} (2048 by default) or EC on P-256, P-384 or P-521, signed with SHA-256 or
 * stronger. Anything else is refused at submission, before it is stored.
 */
final class KeyPolicy {
  private static final Map<String, String> CURVES =
      Map.of(
          "1.2.840.10045.3.1.7", "P-256",
          "1.3.132.0.34", "P-384",
          "1.3.132.0.35", "P-521");
  private static final Map<String, String> SIGNATURES =
      Map.of(
          "1.2.840.113549.1.1.11", "SHA256withRSA",
          "1.2.840.113549.1.1.12", "SHA384withRSA",
          "1.2.840.113549.1.1.13", "SHA512withRSA",
          "1.2.840.113549.1.1.10", "RSASSA-PSS",
          "1.2.840.10045.4.3.2", "SHA256withECDSA",
          "1.2.840.10045.4.3.3", "SHA384withECDSA",
          "1.2.840.10045.4.3.4", "SHA512withECDSA");

  private final int minRsaBits;

  KeyPolicy(int minRsaBits) {
    this.minRsaBits = minRsaBits;
  }

  /** Throws a 400 naming the problem: structure first, then key, then signature algorithm. */
  void check(Csr csr) {
    String shape = CsrShape.problem(csr);
    if (shape != null) {
      throw refused(shape);
    }
    int rsa = CsrShape.rsaBits(csr);
    if (rsa > 0) {
      if (rsa < minRsaBits) {
        throw refused(
            "RSA keys of "
                + rsa
                + " bits are too small; at least "
                + minRsaBits
                + " bits are required");
      }
      if (!CsrShape.rsaExponentSane(csr)) {
        throw refused("the RSA key has an unusable public exponent");
      }
    } else {
      String curve = CsrShape.curve(csr);
      if (curve == null || !CURVES.containsKey(curve)) {
        throw refused(
            "keys of type "
                + CsrShape.keyDescription(csr)
                + " are not accepted; use RSA of at least "
                + minRsaBits
                + " bits or EC on P-256, P-384 or P-521");
      }
    }
    String alg = CsrShape.signatureAlgorithm(csr);
    if (!SIGNATURES.containsKey(alg)) {
      throw refused(
          "the certificate request is signed with algorithm "
              + alg
              + "; SHA-256 or stronger (RSA or ECDSA) is required");
    }
  }

  private static CaException refused(String why) {
    return new CaException(Reason.BAD_REQUEST, "Invalid certificate request: " + why);
  }
}
