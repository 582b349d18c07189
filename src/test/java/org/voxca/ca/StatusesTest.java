package org.voxca.ca;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.voxca.ca.autosign.AutosignPolicy;
import org.voxca.testing.TestPki;

/** Listings and their filters, and the glob matcher behind {@code name=}. */
class StatusesTest {

  private static List<String> names(ManagedCa ca, String state, String glob, Instant before) {
    List<String> out = new ArrayList<>();
    ca.eachStatus(state, glob, before, s -> out.add(s.name() + ":" + s.state()));
    return out;
  }

  @Test
  void listingsFilterByStateNameAndExpiry() {
    CaFixture f = new CaFixture(CaFixture.settings(), AutosignPolicy.NEVER);
    f.submit("a.web.test", TestPki.csr("a.web.test"));
    f.submit("b.web.test", TestPki.csr("b.web.test"));
    f.submit("c.db.test", TestPki.csr("c.db.test"));
    f.ca.sign("b.web.test", Duration.ofDays(10));
    f.ca.sign("c.db.test", null);
    f.ca.revoke("c.db.test");

    assertThat(names(f.ca, null, null, null))
        .containsExactly("a.web.test:requested", "b.web.test:signed", "c.db.test:revoked");
    assertThat(names(f.ca, "requested", null, null)).containsExactly("a.web.test:requested");
    assertThat(names(f.ca, "revoked", null, null)).containsExactly("c.db.test:revoked");
    assertThat(names(f.ca, null, "*.web.test", null))
        .containsExactly("a.web.test:requested", "b.web.test:signed");
    assertThat(names(f.ca, null, "?.db.*", null)).containsExactly("c.db.test:revoked");
    assertThat(names(f.ca, null, null, f.clock.instant().plus(Duration.ofDays(30))))
        .as("certificates only, expiring before")
        .containsExactly("b.web.test:signed");
  }

  @Test
  void globsMatchAsTheRegularExpressionTheyDescribe() {
    Random r = new Random(42);
    String alphabet = "ab.*?";
    for (int i = 0; i < 20_000; i++) {
      String glob = random(r, alphabet, r.nextInt(8));
      String name = random(r, "ab.", r.nextInt(10));
      StringBuilder re = new StringBuilder();
      for (char c : glob.toCharArray()) {
        re.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
      }
      assertThat(new Glob(glob).matches(name))
          .as("%s ~ %s", glob, name)
          .isEqualTo(Pattern.matches(re.toString(), name));
    }
  }

  @Test
  @Timeout(10)
  void manyStarsAgainstALongNameDoNotBacktrack() {
    String name = "a".repeat(20_000);
    assertThat(new Glob("*a*a*a*a*a*a*a*a*a*a*b").matches(name)).isFalse();
    assertThat(new Glob("*a*a*a*a*a*a*a*a*a*a*").matches(name)).isTrue();
  }

  private static String random(Random r, String alphabet, int length) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < length; i++) {
      sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
    }
    return sb.toString();
  }
}
