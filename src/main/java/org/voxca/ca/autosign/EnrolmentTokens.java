package org.voxca.ca.autosign;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x509.Extension;
import org.voxca.pki.Csr;
import org.voxca.pki.PuppetOids;
import org.voxca.store.EnrolmentRecords;
import org.voxca.store.EnrolmentToken;

/**
 * voxca's enrolment tokens: a secret an agent puts in its CSR's challengePassword ({@code
 * csr_attributes.yaml}), bound to one certname or a glob, valid for a time and a number of uses,
 * allowing named Puppet extensions. Only its SHA-256 is stored. A token presented with the wrong
 * name or over its extension allowance is revoked: the CSR stays pending, and a pending CSR can be
 * downloaded by anyone, so its secret is no longer one.
 */
public final class EnrolmentTokens implements TokenCheck {
  /** Every secret starts with this, so a CSR's challengePassword is recognisable as a token. */
  public static final String PREFIX = "voxca-enrol-";

  private static final SecureRandom RANDOM = new SecureRandom();
  private final EnrolmentRecords records;
  private final Clock clock;

  public EnrolmentTokens(EnrolmentRecords records, Clock clock) {
    this.records = records;
    this.clock = clock;
  }

  /** A new token as {@code spec} describes it (already validated by {@link TokenRules}). */
  public NewToken create(TokenSpec spec) {
    TokenRules.check(spec);
    byte[] random = new byte[32];
    RANDOM.nextBytes(random);
    String secret = PREFIX + HexFormat.of().formatHex(random);
    String hash = EnrolmentToken.sha256(secret);
    Instant now = clock.instant();
    EnrolmentToken token =
        new EnrolmentToken(
            EnrolmentToken.idOf(hash),
            hash,
            spec.certname(),
            spec.glob(),
            TokenRules.byShortName(spec.extensions()),
            now,
            now.plus(spec.ttl()),
            spec.uses(),
            0,
            false);
    records.addToken(token);
    return new NewToken(secret, TokenInfo.of(token, now));
  }

  /** Every token, oldest first, as an operator sees it. */
  public List<TokenInfo> list() {
    Instant now = clock.instant();
    return records.tokens().stream().map(t -> TokenInfo.of(t, now)).toList();
  }

  public boolean revoke(String id) {
    return records.revokeToken(id);
  }

  /**
   * The decision for a CSR whose challengePassword holds a token (a use is taken when it signs,
   * unless {@code dryRun}), or null when it holds none.
   */
  @Override
  public AutosignDecision decide(String name, Csr csr, boolean dryRun) {
    String secret = csr.challengePassword();
    if (secret == null || !secret.startsWith(PREFIX)) {
      return null;
    }
    String hash = EnrolmentToken.sha256(secret);
    Optional<EnrolmentToken> found = records.token(hash);
    if (found.isEmpty()) {
      return AutosignDecision.pending("enrolment token unknown to this CA (mistyped, or not ours)");
    }
    EnrolmentToken t = found.get();
    String which = "enrolment token " + t.id();
    Instant now = clock.instant();
    if (t.revoked()) {
      return AutosignDecision.pending(which + " was revoked");
    }
    if (!now.isBefore(t.notAfter())) {
      return AutosignDecision.pending(which + " expired at " + t.notAfter());
    }
    if (t.used() >= t.uses()) {
      return AutosignDecision.pending(
          which + " was already used (" + t.uses() + " of " + t.uses() + ")");
    }
    String refusal = refusal(t, name, csr);
    if (refusal != null) {
      if (!dryRun) {
        records.revokeToken(t.id());
      }
      return AutosignDecision.pending(
          which
              + " "
              + refusal
              + (dryRun ? "" : "; the token is revoked, as its CSR can be read by anyone"));
    }
    String bound = t.certname() != null ? t.certname() : "names matching " + t.glob();
    if (dryRun) {
      return AutosignDecision.signed(which + " for " + bound + " (dry run: no use taken)");
    }
    Optional<EnrolmentToken> used = records.useToken(hash, now);
    if (used.isEmpty()) {
      return AutosignDecision.pending(which + " was used up meanwhile");
    }
    return AutosignDecision.signed(
        which + " for " + bound + " (use " + used.get().used() + " of " + t.uses() + ")");
  }

  /** Why the token does not cover this CSR, or null when it does. */
  private static String refusal(EnrolmentToken t, String name, Csr csr) {
    if (t.certname() != null
        ? !t.certname().equals(name)
        : !GlobFileAutosign.matches(t.glob(), name)) {
      return "is for " + (t.certname() != null ? t.certname() : t.glob()) + ", not " + name;
    }
    for (Extension e : csr.extensions()) {
      String oid = e.getExtnId().getId();
      if (!oid.startsWith(PuppetOids.PUPPET + ".")) {
        continue; // not a Puppet extension: the CA's own rules (alt names...) apply as ever
      }
      String key = PuppetOids.shortName(oid);
      String value = Csr.extensionText(e);
      String allowed = t.extensions().get(key);
      if (!value.equals(allowed)) {
        return "does not allow "
            + key
            + "="
            + value
            + (allowed == null ? "" : " (only " + allowed + ")");
      }
    }
    return null;
  }
}
