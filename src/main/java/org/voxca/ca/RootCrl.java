package org.voxca.ca;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.security.auth.x500.X500Principal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voxca.pki.Certificates;
import org.voxca.pki.CrlBuilder;
import org.voxca.pki.Issuer;
import org.voxca.pki.Pem;
import org.voxca.pki.PublicKeys;
import org.voxca.store.CaStore;

/**
 * The root CRL of a two-level CA whose root key this directory keeps ({@code root_key.pem}):
 * re-signed, entries kept, when it comes within the refresh window, in every CRL chain that holds
 * it. Without the root key there is nothing voxca can sign (Puppet never refreshes it either).
 */
final class RootCrl {
  private static final Logger LOG = LoggerFactory.getLogger(RootCrl.class);
  private final CaStore store;
  private final Issuer issuer;
  private final CaKeys keys;
  private final Duration window;
  private final Duration lifetime;
  private final Duration backdate;

  /** The CRL timing of the CA's policy, as plain durations (refresh window, lifetime, backdate). */
  RootCrl(
      CaStore store,
      Issuer issuer,
      CaKeys keys,
      Duration window,
      Duration lifetime,
      Duration backdate) {
    this.keys = keys;
    this.store = store;
    this.issuer = issuer;
    this.window = window;
    this.lifetime = lifetime;
    this.backdate = backdate;
  }

  /** Re-signs the root's CRL in {@code chainPem} when due; true when it wrote. */
  boolean refreshIfExpiring(byte[] chainPem, Consumer<byte[]> write, Instant now) {
    Optional<Issuer> root = root();
    if (root.isEmpty()) {
      return false;
    }
    return resignIfDue(
        root.get().certificate().getSubjectX500Principal(), root::get, chainPem, write, now);
  }

  /**
   * Re-signs the CRL of {@code name} in {@code chainPem} with {@code signer}'s key (opened only
   * when due), entries kept and number + 1, when its nextUpdate comes within the window; true when
   * it wrote. A chain without a CRL of that name is left as it is.
   */
  boolean resignIfDue(
      X500Principal name,
      Supplier<Issuer> signer,
      byte[] chainPem,
      Consumer<byte[]> write,
      Instant now) {
    List<X509CRL> chain = Certificates.readCrls(new String(chainPem, StandardCharsets.US_ASCII));
    for (int i = 0; i < chain.size(); i++) {
      X509CRL crl = chain.get(i);
      if (!crl.getIssuerX500Principal().equals(name)) {
        continue;
      }
      if (crl.getNextUpdate() != null
          && crl.getNextUpdate().toInstant().isAfter(now.plus(window))) {
        return false;
      }
      BigInteger number = CrlBuilder.number(crl).max(BigInteger.ZERO).add(BigInteger.ONE);
      X509CRL next =
          CrlBuilder.build(
              signer.get(), now.minus(backdate), now.plus(lifetime), number, crl, Map.of());
      List<Object> out = new ArrayList<>(chain);
      out.set(i, next);
      write.accept(Pem.encode(out.toArray()).getBytes(StandardCharsets.US_ASCII));
      LOG.info(
          "Re-signed the CRL of {}, whose nextUpdate was {}", name.getName(), crl.getNextUpdate());
      return true;
    }
    return false;
  }

  /** The root CA as an issuer: its certificate in the bundle and the key in root_key.pem. */
  private Optional<Issuer> root() {
    return store
        .documents()
        .rootKey()
        .flatMap(
            pem -> {
              KeyPair pair = keys.open("root", pem);
              for (X509Certificate c : issuer.bundle()) {
                if (PublicKeys.same(c.getPublicKey(), pair.getPublic())) {
                  return Optional.of(new Issuer(c, pair.getPrivate(), List.of(c)));
                }
              }
              return Optional.empty();
            });
  }
}
