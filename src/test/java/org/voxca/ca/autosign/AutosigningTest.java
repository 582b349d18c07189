package org.voxca.ca.autosign;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.voxca.pki.Csr;
import org.voxca.store.memory.MemoryCaStore;
import org.voxca.testing.TestPki;

/** Where tokens stand beside Puppet's autosign setting: first, last or off. */
class AutosigningTest {
  private final MemoryCaStore store = new MemoryCaStore();
  private final AutosignPolicy globOnlyA =
      (name, pem) ->
          name.startsWith("a.")
              ? AutosignDecision.signed("pattern 'a.*'")
              : AutosignDecision.pending("no pattern matches (tried a.*)");

  private Autosigning with(TokenOrder order) {
    return new Autosigning(store.enrolment(), Clock.systemUTC(), globOnlyA, order, null);
  }

  private String token(Autosigning a, String certname) {
    return a.tokens()
        .create(new TokenSpec(certname, null, Duration.ofHours(1), 5, Map.of()))
        .secret();
  }

  private static Csr csr(String name, String token) {
    return Csr.fromPem(TestPki.csr(name).challengePassword(token).pem());
  }

  private static byte[] pem(Csr csr) {
    return csr.toPem().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  @Test
  void firstATokenSignsWithoutOneTheSettingDecides() {
    Autosigning a = with(TokenOrder.FIRST);
    Csr withToken = csr("b.test", token(a, "b.test"));
    AutosignDecision d = a.decide("b.test", withToken, pem(withToken), false);
    assertThat(d.sign()).isTrue();
    assertThat(d.reason()).startsWith("enrolment token");
    Csr plain = csr("a.test", null);
    assertThat(a.decide("a.test", plain, pem(plain), false).reason()).isEqualTo("pattern 'a.*'");
    Csr neither = csr("c.test", null);
    AutosignDecision pending = a.decide("c.test", neither, pem(neither), false);
    assertThat(pending.sign()).isFalse();
    assertThat(pending.reason())
        .isEqualTo("no enrolment token in the CSR; no pattern matches (tried a.*)");
  }

  @Test
  void lastTheSettingFirstThenATokenAndOffIgnoresTokens() {
    Autosigning last = with(TokenOrder.LAST);
    String t = token(last, "a.test");
    Csr aWithToken = csr("a.test", t);
    AutosignDecision d = last.decide("a.test", aWithToken, pem(aWithToken), false);
    assertThat(d.reason()).as("the setting signs first: no use taken").isEqualTo("pattern 'a.*'");
    assertThat(last.tokens().list().get(0).used()).isZero();

    Autosigning off = with(TokenOrder.OFF);
    String forB = token(off, "b.test");
    Csr b = csr("b.test", forB);
    AutosignDecision ignored = off.decide("b.test", b, pem(b), false);
    assertThat(ignored.sign()).isFalse();
    assertThat(ignored.reason()).isEqualTo("no pattern matches (tried a.*)");

    Csr bLast = csr("b.test", forB);
    AutosignDecision byToken = last.decide("b.test", bLast, pem(bLast), false);
    assertThat(byToken.sign()).isTrue();
    assertThat(byToken.reason()).contains("use 1 of 5");
  }
}
