package org.voxca.http.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.voxca.http.ClientIdentity;

/** Links and sessions refuse what they must, and release what they hold. */
class SessionsTest {
  private static final ClientIdentity ADMIN = new ClientIdentity("ca.example", null, false);

  /** A clock the test moves. */
  private static final class Moving extends Clock {
    Instant now = Instant.parse("2026-12-01T00:00:00Z");

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  @Test
  void aLinkWorksOnceAndOnlyBeforeItExpires() {
    Moving clock = new Moving();
    Sessions s = new Sessions(clock);
    String link = s.newLink(ADMIN).secret();
    assertThat(s.redeem(link)).isPresent();
    assertThat(s.redeem(link)).as("second use").isEmpty();
    String late = s.newLink(ADMIN).secret();
    clock.now = clock.now.plus(Sessions.LINK_LIFE);
    assertThat(s.redeem(late)).as("at its expiry").isEmpty();
    assertThat(s.redeem("not-a-link")).isEmpty();
    assertThat(s.redeem(null)).isEmpty();
  }

  @Test
  void unusedLinksAreCappedThenReleasedWhenTheyExpire() {
    Moving clock = new Moving();
    Sessions s = new Sessions(clock);
    for (int i = 0; i < Sessions.MAX_LINKS; i++) {
      s.newLink(ADMIN).secret();
    }
    assertThatThrownBy(() -> s.newLink(ADMIN).secret()).isInstanceOf(IllegalStateException.class);
    clock.now = clock.now.plus(Sessions.LINK_LIFE).plusSeconds(1);
    assertThat(s.newLink(ADMIN).secret()).as("expired links released their places").isNotEmpty();
    assertThat(s.linkCount()).isEqualTo(1);
  }

  @Test
  void aSessionEndsWhenIdleAndAtItsLifetimeEvenWhenUsed() {
    Moving clock = new Moving();
    Sessions s = new Sessions(clock);
    String idle = s.redeem(s.newLink(ADMIN).secret()).orElseThrow().id;
    String busy = s.redeem(s.newLink(ADMIN).secret()).orElseThrow().id;
    Duration half = Sessions.IDLE.dividedBy(2);
    clock.now = clock.now.plus(half);
    assertThat(s.find(busy)).isPresent();
    clock.now = clock.now.plus(half);
    assertThat(s.find(idle)).as("idle for %s", Sessions.IDLE).isEmpty();
    Instant end = clock.now.minus(Sessions.IDLE).plus(Sessions.SESSION_LIFE);
    while (clock.now.isBefore(end)) {
      assertThat(s.find(busy)).as("used every %s, at %s", half, clock.now).isPresent();
      clock.now = clock.now.plus(half);
    }
    assertThat(s.find(busy)).as("past its lifetime").isEmpty();
    assertThat(s.sessionCount()).as("both released").isZero();
  }

  @Test
  void sessionsAreCappedByDroppingTheLeastRecentlyUsed() {
    Moving clock = new Moving();
    Sessions s = new Sessions(clock);
    String first = s.openForCertificate(ADMIN).id;
    for (int i = 1; i < Sessions.MAX_SESSIONS + 10; i++) {
      clock.now = clock.now.plusMillis(1);
      s.openForCertificate(ADMIN);
    }
    assertThat(s.sessionCount()).isEqualTo(Sessions.MAX_SESSIONS);
    assertThat(s.find(first)).as("the oldest went first").isEmpty();
    s.close(s.openForCertificate(ADMIN).id);
    assertThat(s.sessionCount()).isEqualTo(Sessions.MAX_SESSIONS - 1);
  }

  @Test
  void secretsCompareWhole() {
    assertThat(Sessions.same("abc", "abc")).isTrue();
    assertThat(Sessions.same("abc", "abd")).isFalse();
    assertThat(Sessions.same("abc", null)).isFalse();
    assertThat(Sessions.same(null, null)).isFalse();
  }
}
