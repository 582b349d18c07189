package org.voxca.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * The part of the store contract autosigning relies on ({@link EnrolmentRecords}): a token's uses
 * are counted durably and the last one is taken once, even by racing threads or replicas; a revoked
 * or expired token gives no use; a one-time key is claimed once; a pending CSR's reason is kept.
 */
public interface EnrolmentContract {

  /** The store under test. */
  CaStore storeUnderTest();

  /** A second replica's handle on the same storage, or null when the store is one process's. */
  CaStore replicaOrNull() throws Exception;

  static EnrolmentToken token(int uses, Instant notAfter, Map<String, String> extensions) {
    byte[] h = new byte[32];
    ThreadLocalRandom.current().nextBytes(h);
    String hash = HexFormat.of().formatHex(h);
    Instant created = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    return new EnrolmentToken(
        EnrolmentToken.idOf(hash),
        hash,
        "agent.contract.test",
        null,
        extensions,
        created,
        notAfter,
        uses,
        0,
        false);
  }

  @Test
  default void aTokensUsesAreCountedAndTheLastOneIsTakenOnce() throws Exception {
    EnrolmentRecords e = storeUnderTest().enrolment();
    Instant later = Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MILLIS);
    EnrolmentToken two = token(2, later, Map.of("pp_role", "web server"));
    e.addToken(two);
    assertThat(e.token(two.hash())).contains(two);
    assertThat(e.useToken(two.hash(), Instant.now()).map(EnrolmentToken::used)).contains(1);
    assertThat(e.useToken(two.hash(), Instant.now()).map(EnrolmentToken::used)).contains(2);
    assertThat(e.useToken(two.hash(), Instant.now())).isEmpty();
    assertThat(e.token(two.hash()).map(EnrolmentToken::used)).contains(2);
    assertThat(e.token(two.hash()).map(EnrolmentToken::extensions))
        .contains(Map.of("pp_role", "web server"));

    EnrolmentToken once = token(1, later, Map.of());
    e.addToken(once);
    CaStore replica = replicaOrNull();
    EnrolmentRecords other = replica == null ? e : replica.enrolment();
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<Optional<EnrolmentToken>>> racers = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        EnrolmentRecords side = i % 2 == 0 ? e : other;
        racers.add(pool.submit(() -> side.useToken(once.hash(), Instant.now())));
      }
      int won = 0;
      for (Future<Optional<EnrolmentToken>> r : racers) {
        won += r.get().isPresent() ? 1 : 0;
      }
      assertThat(won).as("exactly one racer takes a single-use token").isEqualTo(1);
    } finally {
      pool.shutdownNow();
      if (replica != null) {
        replica.close();
      }
    }
    assertThat(e.tokens())
        .extracting(EnrolmentToken::id)
        .containsExactlyInAnyOrder(two.id(), once.id());
  }

  @Test
  default void aRevokedOrExpiredTokenGivesNoUse() {
    EnrolmentRecords e = storeUnderTest().enrolment();
    Instant later = Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MILLIS);
    EnrolmentToken revoked = token(5, later, Map.of());
    EnrolmentToken expired =
        token(5, Instant.now().minusSeconds(1).truncatedTo(ChronoUnit.MILLIS), Map.of());
    e.addToken(revoked);
    e.addToken(expired);
    assertThat(e.revokeToken(revoked.id())).isTrue();
    assertThat(e.revokeToken("0123456789abcdef")).isFalse();
    assertThat(e.useToken(revoked.hash(), Instant.now())).isEmpty();
    assertThat(e.useToken(expired.hash(), Instant.now())).isEmpty();
    assertThat(e.token(revoked.hash()).map(EnrolmentToken::revoked)).contains(true);
    assertThat(e.token(expired.hash()).map(EnrolmentToken::used)).contains(0);
    assertThat(e.useToken("f".repeat(64), Instant.now())).isEmpty();
  }

  @Test
  default void aOneTimeKeyIsClaimedOnceOnEveryReplica() throws Exception {
    EnrolmentRecords e = storeUnderTest().enrolment();
    Instant until = Instant.now().plus(Duration.ofHours(1));
    assertThat(e.claimOnce("9b2f0c3e-uuid-one", until)).isTrue();
    assertThat(e.claimOnce("9b2f0c3e-uuid-one", until)).isFalse();
    assertThat(e.claimOnce("9b2f0c3e-uuid-two", until)).isTrue();
    assertThat(e.claims()).containsKeys("9b2f0c3e-uuid-one", "9b2f0c3e-uuid-two");
    assertThat(e.claims().get("9b2f0c3e-uuid-one").getEpochSecond())
        .isEqualTo(until.getEpochSecond());
    CaStore replica = replicaOrNull();
    if (replica != null) {
      try {
        assertThat(replica.enrolment().claimOnce("9b2f0c3e-uuid-two", until)).isFalse();
        assertThat(replica.enrolment().claimOnce("9b2f0c3e-uuid-three", until)).isTrue();
      } finally {
        replica.close();
      }
    }
  }

  @Test
  default void aPendingCsrsReasonIsKeptAndReplaced() {
    EnrolmentRecords e = storeUnderTest().enrolment();
    assertThat(e.decision("pending.contract.test")).isEmpty();
    e.recordDecision("pending.contract.test", "autosign is off");
    e.recordDecision("pending.contract.test", "token expired at 2026-01-01T00:00:00Z");
    assertThat(e.decision("pending.contract.test"))
        .contains("token expired at 2026-01-01T00:00:00Z");
  }
}
