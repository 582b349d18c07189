package org.voxca.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.voxca.ca.autosign.AutosignPolicy;
import org.voxca.pki.Certificates;
import org.voxca.pki.CrlSummary;
import org.voxca.pki.Issuer;
import org.voxca.pki.Keys;
import org.voxca.pki.PublicKeys;
import org.voxca.testing.TestPki;

/** Renewal rules, revocation of every live serial of a name, clean, and CRL upkeep. */
class RenewalAndRevocationTest {

  private static X509Certificate read(Document d) {
    return Certificates.readCertificates(new String(d.bytes(), StandardCharsets.US_ASCII)).get(0);
  }

  @Test
  void renewalKeepsTheKeyWithAFreshSerialAndRespectsItsSwitch() {
    CaFixture off = new CaFixture(CaFixture.settings(), AutosignPolicy.ALWAYS);
    off.submit("r.test", TestPki.csr("r.test"));
    assertThatThrownBy(() -> off.ca.renew(off.certificate("r.test")))
        .hasMessage(Renewal.RENEWAL_DISABLED)
        .extracting(e -> ((CaException) e).reason())
        .isEqualTo(Reason.NOT_FOUND);

    CaFixture f = new CaFixture(CaFixture.settings(false, false, true), AutosignPolicy.ALWAYS);
    f.submit("r.test", TestPki.csr("r.test"));
    X509Certificate old = f.certificate("r.test");
    X509Certificate renewed = read(f.ca.renew(old));
    assertThat(renewed.getSerialNumber()).isNotEqualTo(old.getSerialNumber());
    assertThat(PublicKeys.same(renewed.getPublicKey(), old.getPublicKey())).isTrue();
    assertThat(renewed.getNotAfter().toInstant())
        .isBetween(
            f.clock.instant().plus(Duration.ofDays(89)),
            f.clock.instant().plus(Duration.ofDays(91)));
    assertThat(f.certificate("r.test").getSerialNumber()).isEqualTo(renewed.getSerialNumber());
    assertThat(f.ca.isRevoked(old.getSerialNumber()))
        .as("the old certificate is not revoked")
        .isFalse();
    assertThatThrownBy(() -> f.ca.renew(null)).hasMessage(Renewal.NO_VALID_CERT);
  }

  @Test
  void renewalRefusesForeignRevokedExpiredAndRekeyedCertificates() {
    CaFixture f = new CaFixture(CaFixture.settings(true, false, true), AutosignPolicy.ALWAYS);
    KeyPair otherCaKey = Keys.ec("secp256r1");
    Issuer other =
        new Issuer(
            TestPki.issue(f.ca.issuer(), "x", otherCaKey, BigInteger.TEN, false),
            otherCaKey.getPrivate(),
            List.of());
    X509Certificate foreign =
        TestPki.issue(other, "f.test", TestPki.ecKey(), BigInteger.ONE, false);
    assertThatThrownBy(() -> f.ca.renew(foreign))
        .hasMessage(Renewal.NOT_OURS)
        .extracting(e -> ((CaException) e).reason())
        .isEqualTo(Reason.FORBIDDEN);

    f.submit("revoked.test", TestPki.csr("revoked.test"));
    X509Certificate revoked = f.certificate("revoked.test");
    f.ca.revoke("revoked.test");
    assertThatThrownBy(() -> f.ca.renew(revoked)).hasMessage(Renewal.NO_VALID_CERT);

    f.submit("rekeyed.test", TestPki.csr("rekeyed.test"));
    X509Certificate first = f.certificate("rekeyed.test");
    f.submit("rekeyed.test", TestPki.csr("rekeyed.test").key(TestPki.freshEcKey()));
    assertThatThrownBy(() -> f.ca.renew(first))
        .as("signed/ now holds another key for the name")
        .hasMessage(Renewal.NO_VALID_CERT);

    f.submit("old.test", TestPki.csr("old.test"));
    X509Certificate old = f.certificate("old.test");
    f.clock.advance(Duration.ofDays(6 * 365));
    assertThatThrownBy(() -> f.ca.renew(old))
        .hasMessage(Renewal.NO_VALID_CERT)
        .extracting(e -> ((CaException) e).reason())
        .isEqualTo(Reason.BAD_REQUEST);
  }

  @Test
  void revokingANameRevokesItsSupersededCertificatesToo() {
    CaFixture f = new CaFixture(CaFixture.settings(false, false, true), AutosignPolicy.ALWAYS);
    f.submit("many.test", TestPki.csr("many.test"));
    List<BigInteger> serials = new ArrayList<>();
    X509Certificate c = f.certificate("many.test");
    serials.add(c.getSerialNumber());
    for (int i = 0; i < 3; i++) {
      c = read(f.ca.renew(c));
      serials.add(c.getSerialNumber());
    }
    f.ca.revoke("many.test");
    for (BigInteger s : serials) {
      assertThat(f.ca.isRevoked(s)).as("serial %s", s).isTrue();
    }
    CrlSummary crl = CrlSummary.ofChain(f.ca.crl().bytes()).get(0);
    assertThat(crl.serials().size()).isEqualTo(4);
    assertThat(f.ca.status("many.test").orElseThrow().state()).isEqualTo(CertStatus.REVOKED);
  }

  @Test
  void revocationAndCleanAnswerForUnknownAndPendingNames() {
    CaFixture f = new CaFixture(CaFixture.settings(), AutosignPolicy.NEVER);
    assertThatThrownBy(() -> f.ca.revoke("ghost.test"))
        .extracting(e -> ((CaException) e).reason())
        .isEqualTo(Reason.NOT_FOUND);
    f.submit("pending.test", TestPki.csr("pending.test"));
    assertThatThrownBy(() -> f.ca.revoke("pending.test"))
        .hasMessage("Cannot revoke certificate for host pending.test without a signed certificate")
        .extracting(e -> ((CaException) e).reason())
        .isEqualTo(Reason.CONFLICT);

    f.ca.sign("pending.test", null);
    BigInteger serial = f.certificate("pending.test").getSerialNumber();
    assertThat(f.ca.clean(List.of("pending.test", "ghost.test"))).containsExactly("ghost.test");
    assertThat(f.ca.isRevoked(serial)).isTrue();
    assertThat(f.ca.certificate("pending.test")).isEmpty();
    assertThatThrownBy(() -> f.ca.deleteFiles("ghost.test")).hasMessage("Resource not found.");
  }

  @Test
  void infrastructureNodesAreRevokedOnTheInfrastructureCrlToo() {
    CaSettings s = CaFixture.settings();
    CaSettings infra =
        CaSettings.forCertname(s.certname()).keyLength(2048).enableInfraCrl(true).build();
    CaFixture f = new CaFixture(infra, AutosignPolicy.ALWAYS);
    f.store.addInfraNode("compiler.test");
    f.ca.upkeep().ensureInfraCrl();
    f.submit("compiler.test", TestPki.csr("compiler.test"));
    f.submit("agent.test", TestPki.csr("agent.test"));
    BigInteger compiler = f.certificate("compiler.test").getSerialNumber();
    BigInteger agent = f.certificate("agent.test").getSerialNumber();
    f.ca.revoke("compiler.test");
    f.ca.revoke("agent.test");
    var downloaded = CrlSummary.ofChain(f.ca.crl().bytes()).get(0).serials();
    assertThat(downloaded.contains(compiler)).isTrue();
    assertThat(downloaded.contains(agent))
        .as("agents download only infrastructure revocations")
        .isFalse();
    assertThat(f.ca.isRevoked(agent)).as("the full CRL has both").isTrue();
  }

  @Test
  void aCrlCloseToItsNextUpdateIsResignedAndPruneDropsExpiredSerials() {
    CaFixture f = new CaFixture(CaFixture.settings(), AutosignPolicy.ALWAYS);
    assertThat(f.ca.upkeep().refreshCrl()).as("a fresh CRL is left alone").isFalse();
    f.submit("gone.test", TestPki.csr("gone.test"));
    f.ca.revoke("gone.test");
    Instant before = CrlSummary.ofChain(f.ca.crl().bytes()).get(0).nextUpdate();
    f.clock.advance(CrlPolicy.PUPPET_LIFETIME.minus(Duration.ofDays(10)));
    assertThat(f.ca.upkeep().refreshCrl()).isTrue();
    CrlSummary after = CrlSummary.ofChain(f.ca.crl().bytes()).get(0);
    assertThat(after.nextUpdate()).isAfter(before);
    assertThat(after.serials().size()).as("entries kept").isEqualTo(1);

    assertThat(f.ca.upkeep().pruneCrl(true, false, Set.of()).entries()).isZero();
    assertThat(f.ca.upkeep().pruneCrl(false, true, Set.of()).entries())
        .as("its certificate has not expired yet")
        .isZero();
    f.clock.advance(Duration.ofDays(30));
    assertThat(f.ca.upkeep().pruneCrl(false, true, Set.of()).entries())
        .as("its certificate has expired")
        .isEqualTo(1);
    assertThat(CrlSummary.ofChain(f.ca.crl().bytes()).get(0).serials().size()).isZero();
  }

  @Test
  void aShortCrlTtlIsHonouredAndRefreshedInTimeWithNothingRevoked() {
    CaSettings d = CaFixture.settings();
    CaSettings hourly =
        CaSettings.forCertname(d.certname()).keyLength(2048).crlTtl(Duration.ofHours(1)).build();
    CaFixture f = new CaFixture(hourly, AutosignPolicy.ALWAYS);
    f.submit("one.test", TestPki.csr("one.test"));
    f.ca.revoke("one.test"); // a CRL this CA signs, with the configured lifetime
    CrlSummary first = CrlSummary.ofChain(f.ca.crl().bytes()).get(0);
    Instant hourOn = f.clock.instant().plus(Duration.ofHours(1));
    assertThat(first.nextUpdate()).isBetween(hourOn.minusSeconds(1), hourOn); // whole seconds
    f.clock.advance(Duration.ofMinutes(30));
    assertThat(f.ca.upkeep().refreshCrl())
        .as("40 minutes' window not reached: 30 minutes left")
        .isFalse();
    f.clock.advance(Duration.ofMinutes(15));
    assertThat(f.ca.upkeep().refreshCrl()).as("a third of the lifetime (20 minutes) left").isTrue();
    CrlSummary second = CrlSummary.ofChain(f.ca.crl().bytes()).get(0);
    Instant next = f.clock.instant().plus(Duration.ofHours(1));
    assertThat(second.nextUpdate()).isBetween(next.minusSeconds(1), next);
    assertThat(second.number()).isGreaterThan(first.number());
    assertThat(second.serials().size()).isEqualTo(1);
  }
}
