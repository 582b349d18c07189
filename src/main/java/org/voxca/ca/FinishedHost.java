package org.voxca.ca;

import java.security.cert.X509Certificate;
import java.util.Optional;
import org.voxca.pki.Certificates;
import org.voxca.pki.Pem;
import org.voxca.store.CaStore;
import org.voxca.store.NextGeneration;
import org.voxca.store.NextGeneration.Stage;

/**
 * The last step of a rollover finish, at the first start after it (or at the end of the offline
 * verb): the server's own certificate re-issued for its key by the new CA, then the rollover's
 * record dropped.
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
    if (next.isEmpty() || next.get().stage() != Stage.FINISHING) {
      return;
    }
    var existing = host.load();
    if (existing.isPresent()) {
      X509Certificate cert = Certificates.readCertificates(existing.get().certificatePem()).get(0);
      try {
        cert.verify(issuer.certificate().getPublicKey());
      } catch (java.security.GeneralSecurityException | RuntimeException e) {
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
            .info("Re-issued the server's own certificate under the new CA");
      }
    }
    store.documents().dropNextGeneration();
  }
}
