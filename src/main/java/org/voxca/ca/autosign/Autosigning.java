package org.voxca.ca.autosign;

import java.time.Clock;
import java.util.List;
import org.voxca.pki.Csr;
import org.voxca.store.EnrolmentRecords;

/**
 * Every autosign mode in the order the configuration gives: enrolment tokens first or last beside
 * Puppet's {@code autosign} setting (or not at all), with the reason for the outcome — for a CSR
 * left pending, every mode's reason.
 */
public final class Autosigning {
  private final EnrolmentTokens tokens;
  private final List<TokenCheck> checks;
  private final AutosignPolicy setting;
  private final TokenOrder order;

  /**
   * @param gem the autosign gem's secret, when its tokens are accepted too (else null)
   */
  public Autosigning(
      EnrolmentRecords records,
      Clock clock,
      AutosignPolicy setting,
      TokenOrder order,
      GemSecret gem) {
    this.tokens = new EnrolmentTokens(records, clock);
    this.checks =
        gem == null ? List.of(tokens) : List.of(tokens, new GemTokens(gem, records, clock));
    this.setting = setting;
    this.order = order;
  }

  /** The token in the CSR, of whichever kind: its decision, or null when it holds none. */
  private AutosignDecision token(String name, Csr csr, boolean dryRun) {
    for (TokenCheck c : checks) {
      AutosignDecision d = c.decide(name, csr, dryRun);
      if (d != null) {
        return d;
      }
    }
    return null;
  }

  public EnrolmentTokens tokens() {
    return tokens;
  }

  /** The decision for a submitted CSR; a dry run takes no token use. */
  public AutosignDecision decide(String name, Csr csr, byte[] pem, boolean dryRun) {
    if (order == TokenOrder.OFF) {
      return setting.decide(name, pem);
    }
    if (order == TokenOrder.FIRST) {
      AutosignDecision token = token(name, csr, dryRun);
      if (token != null && token.sign()) {
        return token;
      }
      AutosignDecision s = setting.decide(name, pem);
      if (s.sign()) {
        return s;
      }
      return AutosignDecision.pending(
          (token == null ? "no enrolment token in the CSR" : token.reason()) + "; " + s.reason());
    }
    AutosignDecision s = setting.decide(name, pem);
    if (s.sign()) {
      return s;
    }
    AutosignDecision token = token(name, csr, dryRun);
    if (token == null) {
      return AutosignDecision.pending(s.reason() + "; no enrolment token in the CSR");
    }
    return token.sign() ? token : AutosignDecision.pending(s.reason() + "; " + token.reason());
  }
}
