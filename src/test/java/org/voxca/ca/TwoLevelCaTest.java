package org.voxca.ca;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.voxca.ca.autosign.AutosignPolicy;
import org.voxca.pki.Certificates;
import org.voxca.pki.Issuer;
import org.voxca.store.Replicated;
import org.voxca.store.memory.MemoryCaStore;
import org.voxca.testing.TestPki;

/** A two-level CA made in memory: the chain it signs, and both CRLs kept fresh. */
class TwoLevelCaTest {

  @Test
  void aRootSignsTheCaThatSignsAgentsAndBothCrlsAreRefreshed() throws Exception {
    MemoryCaStore store = new MemoryCaStore();
    org.voxca.testing.MutableClock clock =
        new org.voxca.testing.MutableClock(java.time.Instant.now());
    CaSettings s = CaFixture.settings();
    Issuer issuer = CaLifecycle.initializeOrAdopt(store, s, clock, "Puppet Root CA: test");
    assertThat(issuer.bundle()).hasSize(2);
    X509Certificate root = issuer.bundle().get(1);
    assertThat(root.getSubjectX500Principal().getName()).isEqualTo("CN=Puppet Root CA: test");
    assertThat(issuer.certificate().getIssuerX500Principal())
        .isEqualTo(root.getSubjectX500Principal());
    assertThat(store.rootKey()).isPresent();

    ManagedCa ca =
        new DefaultCertificateAuthority(
            store, Replicated.SINGLE_PROCESS, issuer, s, AutosignPolicy.ALWAYS, clock);
    ca.submitCsr("agent.test", TestPki.csr("agent.test").pem().getBytes(StandardCharsets.US_ASCII));
    X509Certificate agent =
        Certificates.readCertificates(
                new String(
                    ca.certificate("agent.test").orElseThrow().bytes(), StandardCharsets.US_ASCII))
            .get(0);
    PKIXParameters p = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
    p.setRevocationEnabled(false);
    p.setDate(java.util.Date.from(clock.instant()));
    CertPathValidator.getInstance("PKIX")
        .validate(
            CertificateFactory.getInstance("X.509")
                .generateCertPath(List.of(agent, issuer.certificate())),
            p);

    List<X509CRL> before =
        Certificates.readCrls(new String(ca.crl().bytes(), StandardCharsets.US_ASCII));
    assertThat(before).hasSize(2);
    clock.advance(CrlPolicy.PUPPET_LIFETIME.minus(Duration.ofDays(10)));
    assertThat(ca.upkeep().refreshCrl()).isTrue();
    List<X509CRL> after =
        Certificates.readCrls(new String(ca.crl().bytes(), StandardCharsets.US_ASCII));
    assertThat(after).hasSize(2);
    for (int i = 0; i < 2; i++) {
      assertThat(after.get(i).getNextUpdate())
          .as("CRL %d", i)
          .isAfter(before.get(i).getNextUpdate());
      assertThat(after.get(i).getIssuerX500Principal())
          .isEqualTo(before.get(i).getIssuerX500Principal());
    }
    after.get(1).verify(root.getPublicKey());

    // extending the CA: clamped to its root; then the root; then the CA past the old root date
    X509Certificate clamped = ca.extendCaCertificate(Duration.ofDays(20 * 365), false, false);
    assertThat(clamped.getNotAfter()).isEqualTo(root.getNotAfter());
    X509Certificate newRoot = ca.extendCaCertificate(Duration.ofDays(30 * 365), true, false);
    assertThat(newRoot.getPublicKey()).isEqualTo(root.getPublicKey());
    assertThat(newRoot.getSerialNumber()).isEqualTo(root.getSerialNumber());
    newRoot.verify(root.getPublicKey());
    X509Certificate longer = ca.extendCaCertificate(Duration.ofDays(20 * 365), false, false);
    assertThat(longer.getNotAfter()).isAfter(root.getNotAfter());
    longer.verify(newRoot.getPublicKey());
    assertThat(ca.issuer().bundle()).containsExactly(longer, newRoot);
    for (X509Certificate anchor : List.of(root, newRoot)) {
      PKIXParameters q = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
      q.setRevocationEnabled(false);
      q.setDate(java.util.Date.from(clock.instant()));
      CertPathValidator.getInstance("PKIX")
          .validate(
              CertificateFactory.getInstance("X.509").generateCertPath(List.of(agent, longer)), q);
    }
    assertThat(Clock.systemUTC()).isNotNull();
    assertThat(BigInteger.ONE).isEqualTo(root.getSerialNumber());
  }
}
