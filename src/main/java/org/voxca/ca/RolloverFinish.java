package org.voxca.ca;

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
    List<X509Certificate> record = Certificates.readCertificates(next.certificatePem());
    X509Certificate cert = record.get(0);
    List<X509Certificate> bundle =
        Certificates.readCertificates(store.documents().caBundle().text());
    // the retired CA is the bundle's first until the promoted bundle is written (the last step);
    // when the root rolls too, the retired CA's issuer (the current root) retires with it
    List<X500Principal> retired = new ArrayList<>();
    if (!bundle.get(0).equals(cert)) {
      retired.add(bundle.get(0).getSubjectX500Principal());
      if (record.size() > 1) {
        retired.add(bundle.get(0).getIssuerX500Principal());
      }
    }
    List<Object> certs = new ArrayList<>(List.of(cert));
    for (X509Certificate c : bundle) {
      if (!c.equals(cert) && !retiredOrCross(c, retired)) {
        certs.add(c);
      }
    }
    X500Principal name = cert.getSubjectX500Principal();
    String crl = promoted(store.documents().crlChain().bytes(), name, retired);
    String infra =
        store.documents().infraCrlChain().map(f -> promoted(f.bytes(), name, retired)).orElse(null);
    return store
        .documents()
        .promoteNextGeneration(
            new CaMaterial(
                Pem.encode(certs.toArray()), next.keyPem(), Pem.encode(cert.getPublicKey()), crl),
            infra,
            retired.isEmpty() ? null : Pem.encode(bundle.get(0)));
    // the record goes once the server's own certificate is re-issued
  }

  /** A retired CA's certificate (or root's), or a certificate to or from one. */
  private static boolean retiredOrCross(X509Certificate c, List<X500Principal> retired) {
    return retired.contains(c.getSubjectX500Principal())
        || retired.contains(c.getIssuerX500Principal());
  }

  /** A CRL chain with {@code name}'s CRL first and the retired CAs' gone; parents' kept. */
  private static String promoted(byte[] chainPem, X500Principal name, List<X500Principal> retired) {
    org.voxca.pki.CrlChainEdit chain = org.voxca.pki.CrlChainEdit.of(chainPem);
    for (X500Principal r : retired) {
      chain.drop(r);
    }
    return new String(chain.first(name).pem(), java.nio.charset.StandardCharsets.US_ASCII);
  }

  /** The names whose valid, unrevoked certificate the current CA signed (but the server's). */
  static List<String> holders(
      CaStore store,
      TrustState trust,
      X509Certificate current,
      String serverName,
      java.time.Instant now) {
    List<String> names = new java.util.ArrayList<>();
    store
        .records()
        .eachCertificate(
            n -> !n.equals(serverName),
            r -> {
              if (r.notAfter().isAfter(now) && !trust.revoked(r.serial())) {
                store
                    .records()
                    .certificate(r.name())
                    .map(f -> Certificates.readCertificates(f.text()).get(0))
                    .filter(
                        c -> c.getIssuerX500Principal().equals(current.getSubjectX500Principal()))
                    .ifPresent(c -> names.add(r.name()));
              }
            });
    return names;
  }
}
