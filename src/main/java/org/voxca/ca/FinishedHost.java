package org.voxca.ca;

import java.security.cert.X509Certificate;
import java.util.Optional;
import org.voxca.pki.Certificates;
import org.voxca.pki.Pem;
import org.voxca.store.CaStore;
import org.voxca.store.NextGeneration;
import org.voxca.store.NextGeneration.Stage;

/**
 * The last step of a rollover finish, at the end of the offline verb or the first start after it:
 * the server's own certificate re-issued for its key by the new CA, then the rollover's record
 * dropped. Every other replica does the same at its start, its certificate being the retired CA's.
 */
final class FinishedHost {
  private FinishedHost() {}

  /**
   * After the promotion, the server's own certificate: re-issued for its key by the new CA when the
   * retired one signed it, then the record dropped (its key is the CA's now). Nothing when no
   * finish is under way.
   */
  static void complete(
      org.voxca.store.HostIdentityStore host,
      CaStore store,
      org.voxca.pki.Issuer issuer,
      CaSettings settings,
      java.time.Clock clock) {
    Optional<NextGeneration> next = store.documents().nextGeneration();
    boolean finishing = next.isPresent() && next.get().stage() == Stage.FINISHING;
    var existing = host.load();
    if (existing.isPresent()) {
      X509Certificate cert = Certificates.readCertificates(existing.get().certificatePem()).get(0);
      if (!signedBy(cert, issuer.certificate()) && (finishing || byRetired(cert, store))) {
        java.security.PublicKey key =
            org.voxca.pki.Keys.readKeyPair(existing.get().privateKeyPem()).getPublic();
        X509Certificate renewed =
            new Issuance(store, () -> issuer, settings, clock).server(key, true);
        host.save(
            new org.voxca.store.HostIdentityStore.HostIdentity(
                Pem.encode(renewed),
                existing.get().privateKeyPem(),
                existing.get().publicKeyPem()));
        org.slf4j.LoggerFactory.getLogger(FinishedHost.class)
            .info(
                "Re-issued the server's own certificate, signed by the retired CA, under the new CA");
      }
    }
    if (finishing) {
      store.documents().dropNextGeneration();
    }
  }

  /**
   * True when the CA a finished rollover retired signed {@code cert} (another replica's finish).
   */
  private static boolean byRetired(X509Certificate cert, CaStore store) {
    return store
        .documents()
        .retiredCa()
        .map(pem -> Certificates.readCertificates(pem).get(0))
        .filter(ca -> signedBy(cert, ca))
        .isPresent();
  }

  private static boolean signedBy(X509Certificate cert, X509Certificate ca) {
    try {
      cert.verify(ca.getPublicKey());
      return true;
    } catch (java.security.GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }
}
