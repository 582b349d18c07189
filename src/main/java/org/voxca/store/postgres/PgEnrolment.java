package org.voxca.store.postgres;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.voxca.store.EnrolmentRecords;
import org.voxca.store.EnrolmentToken;

/**
 * Autosigning's records in the database: a use is one conditional UPDATE and a claim one INSERT
 * that does nothing on conflict, so of two replicas racing for the last use (or the same claim)
 * exactly one wins.
 */
final class PgEnrolment implements EnrolmentRecords {
  private static final String COLUMNS = "spec, used, revoked";
  private final Sql sql;

  PgEnrolment(Sql sql) {
    this.sql = sql;
  }

  @Override
  public void addToken(EnrolmentToken t) {
    sql.update(
        "INSERT INTO enrolment_tokens (id, hash, spec, created, not_after, uses, used, revoked)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        t.id(),
        t.hash(),
        t.toText(),
        PgDocuments.time(t.created()),
        PgDocuments.time(t.notAfter()),
        t.uses(),
        t.used(),
        t.revoked());
  }

  @Override
  public List<EnrolmentToken> tokens() {
    return sql.list(
        "SELECT " + COLUMNS + " FROM enrolment_tokens ORDER BY created, id", PgEnrolment::token);
  }

  @Override
  public Optional<EnrolmentToken> token(String hash) {
    return sql.one(
        "SELECT " + COLUMNS + " FROM enrolment_tokens WHERE hash = ?", PgEnrolment::token, hash);
  }

  @Override
  public Optional<EnrolmentToken> useToken(String hash, Instant now) {
    return sql.one(
        "UPDATE enrolment_tokens SET used = used + 1"
            + " WHERE hash = ? AND NOT revoked AND used < uses AND not_after > ?"
            + " RETURNING "
            + COLUMNS,
        PgEnrolment::token,
        hash,
        PgDocuments.time(now));
  }

  @Override
  public boolean revokeToken(String id) {
    return sql.update("UPDATE enrolment_tokens SET revoked = true WHERE id = ?", id) > 0;
  }

  @Override
  public boolean claimOnce(String key, Instant until) {
    return sql.update(
            "INSERT INTO enrolment_claims (key, until) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
            key,
            PgDocuments.time(until))
        > 0;
  }

  @Override
  public Map<String, Instant> claims() {
    Map<String, Instant> out = new TreeMap<>();
    sql.list(
            "SELECT key, until FROM enrolment_claims",
            rs -> Map.entry(rs.getString(1), PgDocuments.instant(rs, 2)))
        .forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  @Override
  public void recordDecision(String name, String reason) {
    sql.update(
        "INSERT INTO autosign_decisions (name, reason, decided) VALUES (?, ?, ?)"
            + " ON CONFLICT (name) DO UPDATE SET reason = EXCLUDED.reason,"
            + " decided = EXCLUDED.decided",
        name,
        reason,
        PgDocuments.time(PgDocuments.now()));
  }

  @Override
  public Optional<String> decision(String name) {
    return sql.one(
        "SELECT reason FROM autosign_decisions WHERE name = ?", rs -> rs.getString(1), name);
  }

  /** The spec as written, with the columns a use or a revocation changes. */
  private static EnrolmentToken token(ResultSet rs) throws SQLException {
    return EnrolmentToken.fromText(rs.getString(1)).withCounts(rs.getInt(2), rs.getBoolean(3));
  }
}
