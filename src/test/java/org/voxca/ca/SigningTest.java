package org.voxca.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.voxca.ca.CertificateAuthority.SubmitResult;
import org.voxca.ca.autosign.AutosignPolicy;
import org.voxca.pki.San;
import org.voxca.testing.HostileCsrs;
import org.voxca.testing.TestPki;

/** Submission, the signing rules and bulk signing, against the in-memory store. */
class SigningTest {

  @Test
  void aPendingCsrIsSignedOnceAndLeavesNoCsr() {
    CaFixture f = new CaFixture(CaFixture.settings(), AutosignPolicy.NEVER);
    assertThat(f.submit("agent.test", TestPki.csr("agent.test"))).isEqualTo(SubmitResult.PENDING);
    assertThat(f.ca.status("agent.test").orElseThrow().state()).isEqualTo(CertStatus.REQUESTED);

    f.ca.sign("agent.test", null);

    assertThat(f.ca.csr("agent.test")).isEmpty();
    assertThat(f.ca.status("agent.test").orElseThrow().state()).isEqualTo(CertStatus.SIGNED);
    BigInteger serial = f.certificate("agent.test").getSerialNumber();
    assertThat(f.store.inventory()).containsEntry(serial, "agent.test");
    assertThat(San.entries(San.of(f.certificate("agent.test")), false))
        .containsExactly("DNS:agent.test");
    assertThatThrownBy(() -> f.ca.sign("agent.test", null))
        .isInstanceOf(CaException.class)
        .hasMessage("Cannot sign certificate for host agent.test without a certificate request")
        .extracting(e -> ((CaException) e).reason())
        .isEqualTo(Reason.CONFLICT);
    assertThatThrownBy(() -> f.ca.sign("nobody.test", null))
        .hasMessage("Invalid certificate subject.")
        .extracting(e -> ((CaException) e).reason())
        .isEqualTo(Reason.NOT_FOUND);
  }

  @Test
  void autosignSignsAtOnce() {
    CaFixture f = new CaFixture(CaFixture.settings(), AutosignPolicy.ALWAYS);
    assertThat(f.submit("auto.test", TestPki.csr("auto.test"))).isEqualTo(SubmitResult.SIGNED);
    assertThat(f.ca.certificate("auto.test")).isPresent();
    assertThat(f.ca.csr("auto.test")).isEmpty();
  }

  @Test
  void duplicatesAreRefusedUnlessAllowed() {
    CaFixture strict = new CaFixture(CaFixture.settings(), AutosignPolicy.NEVER);
    strict.submit("dup.test", TestPki.csr("dup.test"));
    assertThatThrownBy(() -> strict.submit("dup.test", TestPki.csr("dup.test")))
        .hasMessage("dup.test already has a requested certificate; ignoring certificate request")
        .extracting(e -> ((CaException) e).reason())
        .isEqualTo(Reason.INVALID_CSR);
    strict.ca.sign("dup.test", null);
    assertThatThrownBy(() -> strict.submit("dup.test", TestPki.csr("dup.test")))
        .hasMessage("dup.test already has a signed certificate; ignoring certificate request");
    strict.ca.revoke("dup.test");
    assertThatThrownBy(() -> strict.submit("dup.test", TestPki.csr("dup.test")))
        .hasMessage("dup.test already has a revoked certificate; ignoring certificate request");

    CaFixture lax = new CaFixture(CaFixture.settings(true, false, false), AutosignPolicy.ALWAYS);
    lax.submit("dup.test", TestPki.csr("dup.test"));
    BigInteger first = lax.certificate("dup.test").getSerialNumber();
    assertThat(lax.submit("dup.test", TestPki.csr("dup.test"))).isEqualTo(SubmitResult.SIGNED);
    assertThat(lax.certificate("dup.test").getSerialNumber()).isNotEqualTo(first);
  }

  @Test
  void nameRulesAndSignatureAreCheckedBeforeAnythingIsStored() {
    CaFixture f = new CaFixture(CaFixture.settings(), AutosignPolicy.NEVER);
    assertThatThrownBy(() -> f.submit("url.test", TestPki.csr("other.test")))
        .hasMessage("Instance name \"other.test\" does not match requested key \"url.test\"");
    assertThatThrownBy(() -> f.submit("bad.test", TestPki.csr("bad.test").corruptSignature()))
        .hasMessage(CsrPolicy.BAD_SIGNATURE);
    assertThatThrownBy(() -> f.ca.submitCsr("x", "not a csr".getBytes(StandardCharsets.US_ASCII)))
        .hasMessageStartingWith("Invalid certificate request: ")
        .extracting(e -> ((CaException) e).reason())
        .isEqualTo(Reason.BAD_REQUEST);
    assertThat(f.store.csrNames()).isEmpty();
  }

  @Test
  void extraAltNamesAreRefusedUnlessAllowed() {
    CaFixture f = new CaFixture(CaFixture.settings(), AutosignPolicy.NEVER);
    f.submit("sans.test", TestPki.csr("sans.test").dns("sans.test", "other.test"));
    assertThatThrownBy(() -> f.ca.sign("sans.test", null))
        .hasMessageStartingWith(
            "CSR 'sans.test' contains extra subject alternative names (DNS:other.test)")
        .extracting(e -> ((CaException) e).reason())
        .isEqualTo(Reason.CONFLICT);
    assertThat(f.ca.csr("sans.test")).as("a refused CSR stays pending").isPresent();

    CaFixture allowed = new CaFixture(CaFixture.settings(false, true, false), AutosignPolicy.NEVER);
    allowed.submit("sans.test", TestPki.csr("sans.test").dns("other.test").ip("10.0.0.1"));
    allowed.ca.sign("sans.test", null);
    assertThat(San.entries(San.of(allowed.certificate("sans.test")), false))
        .containsExactlyInAnyOrder("DNS:sans.test", "DNS:other.test", "IP:10.0.0.1");
  }

  @Test
  void bulkSigningReportsEachNameAndOneBadCsrBlocksNoOther() {
    CaFixture f = new CaFixture(CaFixture.settings(), AutosignPolicy.NEVER);
    f.submit("good.test", TestPki.csr("good.test"));
    f.submit("sans.test", TestPki.csr("sans.test").dns("other.test"));
    f.submit("also-good.test", TestPki.csr("also-good.test"));

    SignResult r = f.ca.signMany(List.of("good.test", "sans.test", "missing.test", "../x"));
    assertThat(r.signed()).containsExactly("good.test");
    assertThat(r.noCsr()).containsExactly("missing.test");
    assertThat(r.signingErrors()).containsExactly("sans.test", "../x");

    SignResult all = f.ca.signAll();
    assertThat(all.signed()).containsExactly("also-good.test");
    assertThat(all.signingErrors()).containsExactly("sans.test");
  }

  static Stream<Arguments> hostile() throws Exception {
    return HostileCsrs.all("hostile.test").entrySet().stream()
        .map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostile")
  void hostileCsrsAreRefusedBeforeAnythingIsStored(String what, String pem) {
    CaFixture f = new CaFixture(CaFixture.settings(false, true, false), AutosignPolicy.ALWAYS);
    assertThatThrownBy(
            () -> f.ca.submitCsr("hostile.test", pem.getBytes(StandardCharsets.US_ASCII)))
        .isInstanceOf(CaException.class)
        .hasMessageStartingWith("Invalid certificate request: ")
        .extracting(e -> ((CaException) e).reason())
        .isEqualTo(Reason.BAD_REQUEST);
    assertThat(f.store.csrNames()).isEmpty();
    assertThat(f.store.inventory()).hasSize(1); // the CA certificate only
  }

  @Test
  void aStoredCsrThatBreaksTheRulesIsReportedBySignAllNotFatal() throws Exception {
    CaFixture f = new CaFixture(CaFixture.settings(), AutosignPolicy.NEVER);
    f.submit("fine.test", TestPki.csr("fine.test"));
    String twice = HostileCsrs.all("twice.test").get("extension in two requests");
    f.store.saveCsr("twice.test", twice.getBytes(StandardCharsets.US_ASCII)); // put there by hand
    SignResult r = f.ca.signAll();
    assertThat(r.signed()).containsExactly("fine.test");
    assertThat(r.signingErrors()).containsExactly("twice.test");
  }

  @Test
  void theServersNamesStayPendingUnderAutosignButAnOperatorMaySignThem() {
    CaSettings d = CaFixture.settings();
    CaSettings s =
        CaSettings.forCertname(d.certname())
            .keyLength(2048)
            .dnsAltNames(List.of("puppet", "DNS:ca.example"))
            .allowSubjectAltNames(true)
            .build();
    CaFixture f = new CaFixture(s, AutosignPolicy.ALWAYS);
    assertThat(f.submit("puppet", TestPki.csr("puppet"))).isEqualTo(SubmitResult.PENDING);
    assertThat(f.submit("x.test", TestPki.csr("x.test").dns("x.test", "ca.example")))
        .isEqualTo(SubmitResult.PENDING);
    assertThat(f.submit("ca.test", TestPki.csr("ca.test")))
        .as("its certname")
        .isEqualTo(SubmitResult.PENDING);
    assertThat(f.submit("plain.test", TestPki.csr("plain.test"))).isEqualTo(SubmitResult.SIGNED);
    f.ca.sign("puppet", null);
    assertThat(f.ca.certificate("puppet")).isPresent();
    assertThatThrownBy(() -> f.ca.revoke("ca.test"))
        .hasMessageContaining("cannot be revoked or cleaned through the API");
  }

  @Test
  void concurrentSigningNeverReusesASerial() throws Exception {
    CaFixture f = new CaFixture(CaFixture.settings(), AutosignPolicy.ALWAYS);
    Set<BigInteger> serials = ConcurrentHashMap.newKeySet();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> done = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String name = "n" + i + ".test";
      done.add(
          pool.submit(
              () -> {
                f.submit(name, TestPki.csr(name));
                serials.add(f.certificate(name).getSerialNumber());
              }));
    }
    for (Future<?> d : done) {
      d.get();
    }
    pool.shutdown();
    assertThat(serials).hasSize(40);
    assertThat(f.store.inventory().keySet()).containsAll(serials);
  }
}
