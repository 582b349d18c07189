package org.voxca.ca.autosign;

/**
 * Puppet's {@code autosign} setting as a policy: decides whether a submitted CSR is signed at once,
 * and says why. Implementations must be safe to call from many request threads.
 */
@FunctionalInterface
public interface AutosignPolicy {

  /**
   * @param csrPem the exact request body, as Puppet hands it to a policy executable
   */
  AutosignDecision decide(String certname, byte[] csrPem);

  AutosignPolicy ALWAYS = (name, pem) -> AutosignDecision.signed("autosign = true");
  AutosignPolicy NEVER =
      (name, pem) -> AutosignDecision.pending("autosign is off (autosign = false)");
}
