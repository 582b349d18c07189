package org.voxca.ca.autosign;

import org.voxca.pki.Csr;

/**
 * Every autosign mode in the order the configuration gives: enrolment tokens first or last beside
 * Puppet's {@code autosign} setting (or not at all), with the reason for the outcome — for a CSR
 * left pending, every mode's reason.
 */
public final class Autosigning {
  private final EnrolmentTokens tokens;
  private final AutosignPolicy setting;
  private final TokenOrder order;

  public Autosigning(EnrolmentTokens tokens, AutosignPolicy setting, TokenOrder order) {
    this.tokens = tokens;
    this.setting = setting;
    this.order = order;
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
      AutosignDecision token = tokens.decide(name, csr, dryRun);
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
    AutosignDecision token = tokens.decide(name, csr, dryRun);
    if (token == null) {
      return AutosignDecision.pending(s.reason() + "; no enrolment token in the CSR");
    }
    return token.sign() ? token : AutosignDecision.pending(s.reason() + "; " + token.reason());
  }
}
