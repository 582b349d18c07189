package org.voxca.ca.autosign;

/**
 * Decides whether a submitted CSR is signed at once. Implementations must be safe to call from many
 * request threads.
 */
@FunctionalInterface
public interface AutosignPolicy {

  /**
   * @param csrPem the exact request body, as Puppet hands it to a policy executable
   */
  boolean shouldSign(String certname, byte[] csrPem);

  AutosignPolicy ALWAYS = (name, pem) -> true;
  AutosignPolicy NEVER = (name, pem) -> false;
}
