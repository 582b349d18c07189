package org.voxca.ca;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.voxca.pki.Issuer;
import org.voxca.pki.OcspResponder.Signer;
import org.voxca.store.memory.MemoryCaStore;
import org.voxca.testing.MutableClock;

/**
 * The delegated responder is issued once, used until half its life has passed, then issued again; a
 * new CA certificate (an extension) gets a new responder at once; it never outlives the CA.
 */
class OcspSignerTest {
  private final MemoryCaStore store = new MemoryCaStore();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-02T00:00:00Z"));
  private final CaSettings settings =
      CaSettings.forCertname("signer.test").ecCurve("secp256r1").build();
  private final AtomicReference<Issuer> issuer =
      new AtomicReference<>(CaLifecycle.initializeOrAdopt(store, settings, clock));
  private final OcspSigner signer = new OcspSigner(store, issuer::get, settings, clock);

  @Test
  void renewedAtHalfLifeAndWhenTheCaChanges() {
    Signer first = signer.current();
    assertThat(first.delegated()).isTrue();
    assertThat(store.records().issued(first.cert().getSerialNumber())).isTrue();
    clock.advance(Duration.ofHours(35));
    assertThat(signer.current().cert()).as("before half its life").isSameAs(first.cert());
    clock.advance(Duration.ofHours(2));
    Signer second = signer.current();
    assertThat(second.cert().getSerialNumber()).isNotEqualTo(first.cert().getSerialNumber());
    assertThat(second.key()).isNotEqualTo(first.key());

    Issuer extended =
        new Issuer(issuer.get().certificate(), issuer.get().key(), issuer.get().bundle());
    issuer.set(extended);
    assertThat(signer.current().cert().getSerialNumber())
        .as("a new CA certificate: a new responder")
        .isNotEqualTo(second.cert().getSerialNumber());
  }

  @Test
  void neverPastTheCaAndTheCaSignsWhenDelegationIsOff() {
    X509Certificate ca = issuer.get().certificate();
    clock.set(ca.getNotAfter().toInstant().minus(Duration.ofHours(10)));
    assertThat(signer.current().cert().getNotAfter()).isEqualTo(ca.getNotAfter());

    OcspSigner off =
        new OcspSigner(
            store, issuer::get, settings.toBuilder().delegatedOcsp(false).build(), clock);
    Signer s = off.current();
    assertThat(s.delegated()).isFalse();
    assertThat(s.cert()).isSameAs(ca);
  }
}
