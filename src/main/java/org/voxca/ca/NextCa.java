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
 * own, its certificate — self-signed, or signed by the two-level CA's root — and what goes with it
 * into the bundle. Serials come from the CA's one counter.
 */
final class NextCa {
  private static final Duration BACKDATE = Duration.ofDays(1);

  /** The next CA as an issuer, its key pair, and the certificates to publish (itself first). */
  record Made(Issuer issuer, KeyPair keys, List<X509Certificate> published) {}

  private final CaStore store;
  private final CaSettings settings;

  NextCa(CaStore store, CaSettings settings) {
    this.store = store;
    this.settings = settings;
  }

  /** Makes the next CA after {@code current}, whose bundle is {@code bundle}. */
  Made make(RolloverPlan plan, Issuer current, List<X509Certificate> bundle, Instant now) {
    String name = nameFor(plan, current, bundle);
    Optional<Issuer> parent = parent(current.certificate(), bundle);
    boolean configured = plan.ecCurve() == null && plan.rsaBits() == RolloverPlan.CONFIGURED_KEY;
    KeyPair keys =
        configured
            ? settings.newCaKey("next")
            : settings.keys().generate("next", plan.rsaBits(), plan.ecCurve());
    Instant notAfter = now.plus(settings.caTtl());
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
    return new Made(nextIssuer, keys, withCompanions(current, nextIssuer, now));
  }

  /**
   * The next CA's certificate and what goes with it into the bundle: for a self-signed CA the
   * cross-certificates both ways; for an intermediate, nothing (its root already links both).
   */
  List<X509Certificate> withCompanions(Issuer current, Issuer next, Instant now) {
    X509Certificate cert = next.certificate();
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

  private static String nameFor(RolloverPlan plan, Issuer current, List<X509Certificate> bundle) {
    String name =
        plan.caName() != null
            ? plan.caName()
            : RolloverPlan.nextName(Certificates.commonName(current.certificate()));
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
