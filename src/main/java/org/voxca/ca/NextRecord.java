package org.voxca.ca;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import org.voxca.pki.Certificates;
import org.voxca.pki.Issuer;
import org.voxca.store.NextGeneration;

/**
 * What a rollover's record holds, read: the next CA's certificate and, when a two-level CA rolls
 * its root too, the next root's (second in the record) with its key.
 */
final class NextRecord {
  private NextRecord() {}

  /** The next CA's certificate. */
  static X509Certificate certificate(NextGeneration next) {
    return Certificates.readCertificates(next.certificatePem()).get(0);
  }

  /**
   * The next root with its key when the record rolls the root too; null otherwise. 503 when this
   * process has no copy of its key.
   */
  static Issuer nextRoot(NextGeneration next, CaKeys keys) {
    List<X509Certificate> certs = Certificates.readCertificates(next.certificatePem());
    if (certs.size() < 2) {
      return null;
    }
    if (next.rootKeyPem() == null) {
      throw new CaException(
          Reason.CA_UNUSABLE,
          "This server has no copy of the next root key: copy next_root_key.pem from the replica"
              + " that prepared the rollover first");
    }
    KeyPair pair = keys.open("next-root", next.rootKeyPem());
    return new Issuer(certs.get(1), pair.getPrivate(), List.of(certs.get(1)));
  }

  /** True when the record rolls the root too but this process has no copy of its key. */
  static boolean missingRootKey(NextGeneration next) {
    return next.rootKeyPem() == null
        && Certificates.readCertificates(next.certificatePem()).size() > 1;
  }

  /** The issuers whose CRLs a prepare publishes: the next CA's, and the next root's if any. */
  static List<Issuer> issuers(Issuer next, Issuer root) {
    return root == null ? List.of(next) : List.of(next, root);
  }

  /** "3 certificate(s) of {@code ca} are still valid (a, b, c)", at most 20 names listed. */
  static String stillValid(List<String> holders, String ca) {
    return holders.size()
        + " certificate(s) of "
        + ca
        + " are still valid ("
        + String.join(", ", holders.subList(0, Math.min(20, holders.size())))
        + (holders.size() > 20 ? ", ..." : "")
        + ")";
  }
}
