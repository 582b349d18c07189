package org.voxca.ca;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.security.auth.x500.X500Principal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voxca.pki.CrlBuilder;
import org.voxca.pki.Issuer;
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
    org.voxca.pki.CrlChainEdit chain = org.voxca.pki.CrlChainEdit.of(chainPem);
    int i = chain.indexOf(name);
    if (i < 0) {
      return false;
    }
    Instant nextUpdate = chain.header(i).nextUpdate(); // read without parsing the CRL
    if (nextUpdate != null && nextUpdate.isAfter(now.plus(window))) {
      return false;
    }
    X509CRL crl = chain.crl(i);
    BigInteger number = CrlBuilder.number(crl).max(BigInteger.ZERO).add(BigInteger.ONE);
    X509CRL next =
        CrlBuilder.build(
            signer.get(), now.minus(backdate), now.plus(lifetime), number, crl, Map.of());
    write.accept(chain.set(i, next).pem());
    LOG.info("Re-signed the CRL of {}, whose nextUpdate was {}", name.getName(), nextUpdate);
    return true;
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
