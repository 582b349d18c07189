package org.voxca.ca.autosign;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.voxca.pki.Csr;
import org.voxca.store.memory.MemoryCaStore;
import org.voxca.testing.GemJwt;
import org.voxca.testing.TestPki;

/**
 * The autosign gem's tokens as its generator writes them (HS512 JWT; claims exp and data, a JSON
 * text with certname, reusable, uuid), built here by hand: accepted once, or always when reusable;
 * refused with a reason for another name, a regex that does not match, an expired token, another
 * secret, or an algorithm other than HS512.
 */
class GemTokensTest {
  private static final String SECRET = "s3cret-shared-with-the-generator";
  private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
  private final MemoryCaStore store = new MemoryCaStore();
  private final GemTokens gem =
      new GemTokens(new GemSecret(SECRET), store.enrolment(), Clock.fixed(NOW, ZoneOffset.UTC));

  static String jwt(
      String alg, String secret, String certname, boolean reusable, String uuid, long exp) {
    return GemJwt.token(alg, secret, certname, reusable, uuid, exp, true);
  }

  private AutosignDecision decide(String name, String token) {
    return gem.decide(name, Csr.fromPem(TestPki.csr(name).challengePassword(token).pem()), false);
  }

  private static final long LATER = NOW.getEpochSecond() + 3600;

  @Test
  void aOneTimeTokenSignsOnceAndIsThenRefused() throws Exception {
    String t =
        jwt("HS512", SECRET, "web01.test", false, "0f8fad5b-d9cb-469f-a165-70867728950e", LATER);
    assertThat(decide("web01.test", t).sign()).isTrue();
    AutosignDecision again = decide("web01.test", t);
    assertThat(again.sign()).isFalse();
    assertThat(again.reason()).contains("was already used");
  }

  @Test
  void aReusableRegexTokenSignsEveryMatchingName() throws Exception {
    String t =
        jwt(
            "HS512",
            SECRET,
            "/^web[0-9]+\\.test$/",
            true,
            "7c9e6679-7425-40de-944b-e07fc1f90ae7",
            LATER);
    assertThat(decide("web01.test", t).sign()).isTrue();
    assertThat(decide("web02.test", t).sign()).isTrue();
    AutosignDecision db = decide("db01.test", t);
    assertThat(db.sign()).isFalse();
    assertThat(db.reason()).contains("names matching /^web[0-9]+\\.test$/, not db01.test");
  }

  @Test
  void everyOtherTokenLeavesTheCsrPendingAndSaysWhy() throws Exception {
    String uuid = "16fd2706-8baf-433b-82eb-8c7fada847da";
    assertThat(decide("b.test", jwt("HS512", SECRET, "a.test", false, uuid, LATER)).reason())
        .contains("is for a.test, not b.test");
    assertThat(decide("a.test", jwt("HS512", SECRET, "a.test", false, uuid, LATER)).reason())
        .as("exposed in a pending CSR, a one-time token is spent")
        .contains("was already used");
    assertThat(
            decide(
                    "c.test",
                    jwt(
                        "HS512",
                        SECRET,
                        "c.test",
                        false,
                        "6ba7b810-9dad-11d1-80b4-00c04fd430c8",
                        NOW.getEpochSecond()))
                .reason())
        .contains("expired at 2026-12-02T10:00:00Z");
    assertThat(
            decide("d.test", jwt("HS512", "another secret", "d.test", true, uuid, LATER)).reason())
        .contains("bad signature");
    assertThat(decide("e.test", jwt("HS256", SECRET, "e.test", true, uuid, LATER)).reason())
        .contains("algorithm HS256, not HS512");
    String none = jwt("none", SECRET, "f.test", true, uuid, LATER);
    assertThat(decide("f.test", none.substring(0, none.lastIndexOf('.') + 1) + "x").reason())
        .contains("algorithm none");
    assertThat(
            gem.decide(
                "g.test",
                Csr.fromPem(TestPki.csr("g.test").challengePassword("plain words").pem()),
                false))
        .as("not a JWT: not the gem's to decide")
        .isNull();
  }
}
