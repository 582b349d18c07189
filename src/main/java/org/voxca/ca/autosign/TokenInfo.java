package org.voxca.ca.autosign;

import java.time.Instant;
import java.util.Map;
import org.voxca.store.EnrolmentToken;

/**
 * An enrolment token as an operator sees it: never its secret or its hash. {@code state} is {@code
 * valid}, {@code used}, {@code expired} or {@code revoked}.
 */
public record TokenInfo(
    String id,
    String certname,
    String glob,
    Map<String, String> extensions,
    Instant created,
    Instant notAfter,
    int uses,
    int used,
    String state) {

  static TokenInfo of(EnrolmentToken t, Instant now) {
    String state;
    if (t.revoked()) {
      state = "revoked";
    } else if (t.used() >= t.uses()) {
      state = "used";
    } else {
      state = now.isBefore(t.notAfter()) ? "valid" : "expired";
    }
    return new TokenInfo(
        t.id(),
        t.certname(),
        t.glob(),
        t.extensions(),
        t.created(),
        t.notAfter(),
        t.uses(),
        t.used(),
        state);
  }
}
