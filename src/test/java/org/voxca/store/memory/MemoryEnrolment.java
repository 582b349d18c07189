package org.voxca.store.memory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.voxca.store.EnrolmentRecords;
import org.voxca.store.EnrolmentToken;

/** Autosigning's records in memory, for the contract tests and the CA's unit tests. */
final class MemoryEnrolment implements EnrolmentRecords {
  private final Map<String, EnrolmentToken> byHash = new LinkedHashMap<>();
  private final Map<String, Instant> claims = new HashMap<>();
  private final Map<String, String> decisions = new HashMap<>();

  @Override
  public synchronized void addToken(EnrolmentToken token) {
    if (byHash.values().stream().anyMatch(t -> t.id().equals(token.id()))) {
      throw new IllegalArgumentException("a token with id " + token.id() + " exists");
    }
    byHash.put(token.hash(), token);
  }

  @Override
  public synchronized List<EnrolmentToken> tokens() {
    List<EnrolmentToken> out = new ArrayList<>(byHash.values());
    out.sort(Comparator.comparing(EnrolmentToken::created).thenComparing(EnrolmentToken::id));
    return out;
  }

  @Override
  public synchronized Optional<EnrolmentToken> token(String hash) {
    return Optional.ofNullable(byHash.get(hash));
  }

  @Override
  public synchronized Optional<EnrolmentToken> useToken(String hash, Instant now) {
    EnrolmentToken t = byHash.get(hash);
    if (t == null || !t.usableAt(now)) {
      return Optional.empty();
    }
    EnrolmentToken used = t.withOneMoreUse();
    byHash.put(hash, used);
    return Optional.of(used);
  }

  @Override
  public synchronized boolean revokeToken(String id) {
    for (EnrolmentToken t : byHash.values()) {
      if (t.id().equals(id)) {
        byHash.put(t.hash(), t.asRevoked());
        return true;
      }
    }
    return false;
  }

  @Override
  public synchronized boolean claimOnce(String key, Instant until) {
    return claims.putIfAbsent(key, until) == null;
  }

  @Override
  public synchronized Map<String, Instant> claims() {
    return new java.util.TreeMap<>(claims);
  }

  @Override
  public synchronized void recordDecision(String name, String reason) {
    decisions.put(name, reason);
  }

  @Override
  public synchronized Optional<String> decision(String name) {
    return Optional.ofNullable(decisions.get(name));
  }
}
