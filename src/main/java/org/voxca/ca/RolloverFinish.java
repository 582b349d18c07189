package org.voxca.ca;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;
import org.voxca.pki.Certificates;
import org.voxca.pki.Pem;
import org.voxca.store.CaMaterial;
import org.voxca.store.CaStore;
import org.voxca.store.NextGeneration;
import org.voxca.store.NextGeneration.Stage;

/**
 * The end of a rollover: the next generation's key, certificate and CRL become the CA's own files
 * (a single-generation CA directory again, as Puppet Server reads it), then the record goes.
 * Completed at start when a finish was interrupted, before the CA is adopted.
 */
final class RolloverFinish {
  private RolloverFinish() {}

  /** Completes a finish the store's record says began; nothing when none did. */
  static void completeIfInterrupted(CaStore store) {
    Optional<NextGeneration> next = store.documents().nextGeneration();
    if (next.isPresent() && next.get().stage() == Stage.FINISHING) {
      org.slf4j.LoggerFactory.getLogger(RolloverFinish.class)
          .warn("Completing a rollover finish that was interrupted");
      complete(store);
    }
  }

  /** Promotes the next generation; returns where the retired key remains. */
  static List<String> complete(CaStore store) {
    NextGeneration next = store.documents().nextGeneration().orElseThrow();
    if (next.keyPem() == null) {
      throw new StartupException(
          "A rollover finish is under way, but this server has no copy of the next CA key: run it"
              + " where next_key.pem is");
    }
    X509Certificate cert = Certificates.readCertificates(next.certificatePem()).get(0);
    X500Principal name = cert.getSubjectX500Principal();
    String crl = only(store.documents().crlChain().bytes(), name);
    String infra = store.documents().infraCrlChain().map(f -> only(f.bytes(), name)).orElse(null);
    List<String> left =
        store
            .documents()
            .promoteNextGeneration(
                new CaMaterial(
                    Pem.encode(cert), next.keyPem(), Pem.encode(cert.getPublicKey()), crl),
                infra);
    return left; // the record goes once the server's own certificate is re-issued
  }

  /** The CRLs of {@code name} in a chain, as PEM (the whole chain when it has none). */
  private static String only(byte[] chainPem, X500Principal name) {
    List<X509CRL> chain = Certificates.readCrls(chainPem);
    List<Object> kept = new ArrayList<>();
    for (X509CRL c : chain) {
      if (c.getIssuerX500Principal().equals(name)) {
        kept.add(c);
      }
    }
    return kept.isEmpty()
        ? new String(chainPem, StandardCharsets.US_ASCII)
        : Pem.encode(kept.toArray());
  }
}
