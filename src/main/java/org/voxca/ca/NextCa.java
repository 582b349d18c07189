package org.voxca.ca;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.voxca.pki.CertBuilder;
import org.voxca.pki.Certificates;
import org.voxca.pki.Issuer;
import org.voxca.pki.PublicKeys;
import org.voxca.store.CaStore;

/**
 * A rollover's next CA as {@code prepare} makes it: its key (where the CA key lives), a name of its
 * own, its certificate — self-signed, signed by the two-level CA's root, or by a next root made
 * with it when the root rolls too — and what goes with it into the bundle. Serials come from the
 * CA's one counter.
 */
final class NextCa {
  private static final Duration BACKDATE = Duration.ofDays(1);

  /**
   * The next CA as an issuer, its key pair, the certificates to publish (itself first), and the
   * next root with its key pair when the root rolls too (null otherwise).
   */
  record Made(
      Issuer issuer,
      KeyPair keys,
      List<X509Certificate> published,
      Issuer root,
      KeyPair rootKeys) {}

  private final CaStore store;
  private final CaSettings settings;

  NextCa(CaStore store, CaSettings settings) {
    this.store = store;
    this.settings = settings;
  }

  /** Makes the next CA after {@code current}, whose bundle is {@code bundle}. */
  Made make(RolloverPlan plan, Issuer current, List<X509Certificate> bundle, Instant now) {
    String name = nameFor(plan.caName(), current.certificate(), bundle);
    Optional<Issuer> parent = parent(current.certificate(), bundle);
    if (plan.root() && parent.isEmpty()) {
      throw new CaException(
          Reason.CONFLICT,
          "This CA is self-signed: it has no root to roll apart from itself (leave out root)");
    }
    String rootName =
        plan.root() ? nameFor(plan.rootName(), parent.get().certificate(), bundle) : null;
    if (name.equals(rootName)) {
      throw new CaException(
          Reason.BAD_REQUEST, "The next CA and the next root need names of their own");
    }
    KeyPair keys = newKey(plan, "next");
    Instant notAfter = now.plus(settings.caTtl());
    Issuer root = null;
    KeyPair rootKeys = null;
    if (plan.root()) {
      rootKeys = newKey(plan, "next-root");
      X509Certificate rootCert =
          CertBuilder.selfSignedCa(rootName, rootKeys, serial(), now.minus(BACKDATE), notAfter);
      root = new Issuer(rootCert, rootKeys.getPrivate(), List.of(rootCert));
      parent = Optional.of(root);
    }
    X509Certificate next;
    if (parent.isPresent()) {
      Instant parentEnd = parent.get().certificate().getNotAfter().toInstant();
      next =
          CertBuilder.intermediateCa(
              parent.get(), name, keys, serial(), now.minus(BACKDATE), min(notAfter, parentEnd));
    } else {
      next = CertBuilder.selfSignedCa(name, keys, serial(), now.minus(BACKDATE), notAfter);
    }
    Issuer nextIssuer = new Issuer(next, keys.getPrivate(), List.of(next));
    return new Made(
        nextIssuer, keys, withCompanions(current, nextIssuer, root, bundle, now), root, rootKeys);
  }

  private KeyPair newKey(RolloverPlan plan, String role) {
    boolean configured = plan.ecCurve() == null && plan.rsaBits() == RolloverPlan.CONFIGURED_KEY;
    return configured
        ? settings.newCaKey(role)
        : settings.keys().generate(role, plan.rsaBits(), plan.ecCurve());
  }

  /**
   * The next CA's certificate and what goes with it into the bundle: for a self-signed CA the
   * cross-certificates both ways; for an intermediate under the same root, nothing (the root links
   * both); when the root rolls too ({@code nextRoot}), the next root and the cross-certificates
   * between the roots, both ways.
   */
  List<X509Certificate> withCompanions(
      Issuer current, Issuer next, Issuer nextRoot, List<X509Certificate> bundle, Instant now) {
    X509Certificate cert = next.certificate();
    if (nextRoot != null) {
      Issuer root = parent(current.certificate(), bundle).orElseThrow();
      X509Certificate rootCert = nextRoot.certificate();
      Instant end =
          min(rootCert.getNotAfter().toInstant(), root.certificate().getNotAfter().toInstant());
      return List.of(
          cert,
          rootCert,
          CertBuilder.crossCa(root, rootCert, serial(), now.minus(BACKDATE), end),
          CertBuilder.crossCa(nextRoot, root.certificate(), serial(), now.minus(BACKDATE), end));
    }
    if (!cert.getSubjectX500Principal().equals(cert.getIssuerX500Principal())) {
      return List.of(cert);
    }
    Instant end =
        min(cert.getNotAfter().toInstant(), current.certificate().getNotAfter().toInstant());
    return List.of(
        cert,
        CertBuilder.crossCa(current, cert, serial(), now.minus(BACKDATE), end),
        CertBuilder.crossCa(next, current.certificate(), serial(), now.minus(BACKDATE), end));
  }

  /**
   * The parent that signs the next intermediate when the CA is one (a two-level CA whose root key
   * this store keeps); empty for a self-signed CA; 409 for a CA under a parent voxca lacks.
   */
  private Optional<Issuer> parent(X509Certificate ca, List<X509Certificate> bundle) {
    if (ca.getSubjectX500Principal().equals(ca.getIssuerX500Principal())) {
      return Optional.empty();
    }
    Optional<String> rootKey = store.documents().rootKey();
    if (rootKey.isPresent()) {
      KeyPair pair = settings.keys().open("root", rootKey.get());
      for (X509Certificate c : bundle) {
        if (c.getSubjectX500Principal().equals(ca.getIssuerX500Principal())
            && c.getSubjectX500Principal().equals(c.getIssuerX500Principal())
            && PublicKeys.same(c.getPublicKey(), pair.getPublic())) {
          return Optional.of(new Issuer(c, pair.getPrivate(), List.of(c)));
        }
      }
    }
    throw new CaException(
        Reason.CONFLICT,
        "The CA certificate is signed by "
            + ca.getIssuerX500Principal().getName()
            + ", whose key voxca lacks: a rollover needs the parent's key (root_key.pem)");
  }

  private static String nameFor(
      String chosen, X509Certificate current, List<X509Certificate> bundle) {
    String name = chosen != null ? chosen : RolloverPlan.nextName(Certificates.commonName(current));
    for (X509Certificate c : bundle) {
      if (name.equals(Certificates.commonName(c))) {
        throw new CaException(
            Reason.BAD_REQUEST,
            "The next CA needs a name of its own: '" + name + "' is already in the CA bundle");
      }
    }
    return name;
  }

  private BigInteger serial() {
    return store.records().allocateSerial();
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
