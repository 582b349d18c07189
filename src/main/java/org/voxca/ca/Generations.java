package org.voxca.ca;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javax.security.auth.x500.X500Principal;
import org.voxca.pki.Certificates;
import org.voxca.pki.CrlBuilder;
import org.voxca.pki.CrlChainEdit;
import org.voxca.pki.Issuer;
import org.voxca.pki.Pem;
import org.voxca.store.CaStore;

/**
 * The CA bundle and CRL chains holding two generations of the CA during a rollover, in the order
 * Puppet Server reads them: the current CA's certificate and CRL stay first (Puppet Server takes
 * the first of each as its own, and keeps the rest of a CRL chain as it is), the next generation
 * and the cross-certificates follow.
 */
final class Generations {
  private static final DateTimeFormatter SUFFIX =
      DateTimeFormatter.ofPattern("'rollover-'yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC);

  private final CaStore store;
  private final CrlPolicy policy;

  Generations(CaStore store, CrlPolicy policy) {
    this.store = store;
    this.policy = policy;
  }

  /**
   * Adds {@code certs} (the next CA's certificate, the next root's, the cross-certificates) to the
   * bundle and an empty CRL of each of {@code issuers} (the next CA, the next root) to every CRL
   * chain that lacks one: the CRLs first, so an agent that sees the new bundle finds every CRL it
   * needs.
   */
  void publish(List<Issuer> issuers, List<X509Certificate> certs, Instant now) {
    for (Issuer next : issuers) {
      X500Principal name = next.certificate().getSubjectX500Principal();
      X509CRL empty =
          CrlBuilder.build(
              next, policy.thisUpdate(now), policy.nextUpdate(now), BigInteger.ZERO, Map.of());
      withCrl(
          store.documents().crlChain().bytes(), name, empty, store.documents()::replaceCrlChain);
      store
          .documents()
          .infraCrlChain()
          .ifPresent(f -> withCrl(f.bytes(), name, empty, store.documents()::replaceInfraCrlChain));
    }
    List<X509Certificate> bundle = bundle();
    List<X509Certificate> out = new ArrayList<>(bundle);
    for (X509Certificate c : certs) {
      if (!out.contains(c)) {
        out.add(c);
      }
    }
    if (out.size() != bundle.size()) {
      store.documents().replaceCaBundle(pem(out), SUFFIX.format(now));
    }
  }

  /**
   * Takes the generation {@code name} out: every certificate it is the subject or issuer of leaves
   * the bundle, then its CRL leaves every chain.
   */
  void withdraw(X500Principal name, Instant now) {
    List<X509Certificate> bundle = bundle();
    List<X509Certificate> kept = new ArrayList<>();
    for (X509Certificate c : bundle) {
      if (!c.getSubjectX500Principal().equals(name) && !c.getIssuerX500Principal().equals(name)) {
        kept.add(c);
      }
    }
    if (kept.size() != bundle.size()) {
      store.documents().replaceCaBundle(pem(kept), SUFFIX.format(now));
    }
    withoutCrl(store.documents().crlChain().bytes(), name, store.documents()::replaceCrlChain);
    store
        .documents()
        .infraCrlChain()
        .ifPresent(f -> withoutCrl(f.bytes(), name, store.documents()::replaceInfraCrlChain));
  }

  /** True when the served bundle holds {@code cert}. */
  boolean published(X509Certificate cert) {
    return bundle().contains(cert);
  }

  /** True when the bundle holds {@code cert} and the CRL chain a CRL of its subject. */
  boolean complete(X509Certificate cert) {
    if (!published(cert)) {
      return false;
    }
    return CrlChainEdit.of(store.documents().crlChain().bytes())
            .indexOf(cert.getSubjectX500Principal())
        >= 0;
  }

  private List<X509Certificate> bundle() {
    return Certificates.readCertificates(store.documents().caBundle().text());
  }

  private static void withCrl(
      byte[] chainPem, X500Principal name, X509CRL crl, Consumer<byte[]> write) {
    CrlChainEdit chain = CrlChainEdit.of(chainPem);
    if (chain.indexOf(name) < 0) {
      write.accept(chain.add(crl).pem());
    }
  }

  private static void withoutCrl(byte[] chainPem, X500Principal name, Consumer<byte[]> write) {
    CrlChainEdit chain = CrlChainEdit.of(chainPem);
    if (chain.drop(name)) {
      write.accept(chain.pem());
    }
  }

  private static byte[] pem(List<X509Certificate> certs) {
    return Pem.encode(certs.toArray()).getBytes(StandardCharsets.US_ASCII);
  }
}
