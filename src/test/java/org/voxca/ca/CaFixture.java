package org.voxca.ca;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.voxca.ca.autosign.AutosignPolicy;
import org.voxca.pki.Certificates;
import org.voxca.pki.Issuer;
import org.voxca.store.CaMaterial;
import org.voxca.store.Replicated;
import org.voxca.store.memory.MemoryCaStore;
import org.voxca.testing.TestPki;

/**
 * A CA over a {@link MemoryCaStore} with a clock the test moves: the CA rules in milliseconds, no
 * files, no HTTP. The CA key is made once per JVM (RSA-2048) and each fixture starts from an empty
 * store holding it.
 */
final class CaFixture {
  private static final CaMaterial MATERIAL;
  private static final X509Certificate CA_CERT;

  static {
    MemoryCaStore seed = new MemoryCaStore();
    Issuer issuer =
        CaLifecycle.initializeOrAdopt(
            seed, CaSettings.defaults("ca.test").withKeyLength(2048), Clock.systemUTC());
    MATERIAL = seed.readCa();
    CA_CERT = issuer.certificate();
  }

  final org.voxca.testing.MutableClock clock = new org.voxca.testing.MutableClock(Instant.now());
  final MemoryCaStore store = new MemoryCaStore();
  final ManagedCa ca;

  CaFixture(CaSettings settings, AutosignPolicy autosign) {
    store.initializeCa(MATERIAL, CA_CERT, BigInteger.TWO);
    Issuer issuer = CaLifecycle.initializeOrAdopt(store, settings, clock);
    ca =
        new DefaultCertificateAuthority(
            store, Replicated.SINGLE_PROCESS, issuer, settings, autosign, clock);
  }

  static CaSettings settings() {
    return settings(false, false, false);
  }

  /** Puppet's defaults with the three switches the rules depend on most. */
  static CaSettings settings(boolean duplicates, boolean altNames, boolean autoRenewal) {
    CaSettings d = CaSettings.defaults("ca.test");
    return CaSettings.forCertname(d.certname())
        .keyLength(2048)
        .allowDuplicateCerts(duplicates)
        .allowSubjectAltNames(altNames)
        .allowAutoRenewal(autoRenewal)
        .autoRenewalCertTtl(Duration.ofDays(90))
        .build();
  }

  /** Submits a CSR for {@code name} made by {@code spec}. */
  CertificateAuthority.SubmitResult submit(String name, TestPki.CsrSpec spec) {
    return ca.submitCsr(name, spec.pem().getBytes(StandardCharsets.US_ASCII));
  }

  X509Certificate certificate(String name) {
    return Certificates.readCertificates(
            new String(ca.certificate(name).orElseThrow().bytes(), StandardCharsets.US_ASCII))
        .get(0);
  }
}
