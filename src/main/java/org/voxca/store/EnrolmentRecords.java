package org.voxca.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What autosigning remembers in a store, shared by every replica: enrolment tokens (hashed), the
 * one-time keys of tokens already presented (so a replay is refused on any replica, and after a
 * crash), and why each pending CSR was not autosigned.
 */
public interface EnrolmentRecords {

  /** Adds a token whose id and hash are new. */
  void addToken(EnrolmentToken token);

  /** Every token, used up, revoked and expired ones included, oldest first. */
  List<EnrolmentToken> tokens();

  /** The token whose secret hashes to {@code hash}. */
  Optional<EnrolmentToken> token(String hash);

  /**
   * Takes one use of the token atomically (one replica wins a race for the last use): the token
   * after that use, or empty when it had none left at {@code now} (unknown, revoked, used up,
   * expired). Durable before it returns.
   */
  Optional<EnrolmentToken> useToken(String hash, Instant now);

  /** Revokes a token by id; false when there is none. */
  boolean revokeToken(String id);

  /**
   * Claims a one-time key (a token's unique id) until {@code until}: true the first time, false for
   * every later claim, on any replica. Durable before it returns.
   */
  boolean claimOnce(String key, Instant until);

  /** Every one-time key claimed, with the time its claim may be forgotten (to copy a store). */
  Map<String, Instant> claims();

  /** Records why the CSR of {@code name} was left pending (replacing an earlier reason). */
  void recordDecision(String name, String reason);

  /** Why the CSR of {@code name} was left pending, when recorded. */
  Optional<String> decision(String name);
}
