package org.voxca.ca.autosign;

import org.voxca.pki.Csr;

/** One kind of token a CSR's challengePassword may hold. */
interface TokenCheck {
  /**
   * The decision for a CSR holding a token of this kind (a use is taken when it signs, unless
   * {@code dryRun}), or null when its challengePassword holds none.
   */
  AutosignDecision decide(String name, Csr csr, boolean dryRun);
}
