package org.voxca.ca;

import java.math.BigInteger;
import java.util.Set;

/**
 * The CA's upkeep, apart from serving requests: CRLs re-signed before they lapse, the
 * infrastructure CRL, the CA certificate's expiry warning, edits on disk picked up, CRL pruning.
 */
public interface CaUpkeep {
  /** Reads the CRL for appending before the first revocation needs it (once, in the background). */
  void prepareRevocations();

  /** With enable-infra-crl, creates infra_crl.pem when an adopted CA lacks it. */
  void ensureInfraCrl();

  /** Writes a fresh infrastructure CRL chain (empty CRL of this CA, then the parents'). */
  void createInfraCrl();

  /**
   * Re-signs the CRLs that expire within {@link CrlPolicy#REFRESH_WINDOW} (a rollover's next
   * generation's too), after completing a rollover step a crash interrupted; true when it wrote.
   */
  boolean refreshCrl();

  /** A WARN when the CA certificate expires within a year (checked daily); true when it does. */
  boolean warnIfCaExpiring();

  /** Picks up edits made to the CA bundle or CRL on disk; true when something changed. */
  boolean refreshTrust();

  /** Checks the CA keys can sign (a token that failed is opened again when it is back). */
  void checkKeys();

  /** Why the CA keys cannot sign now (a failed token), or null when they can. */
  String keyProblem();

  /**
   * Rewrites the CA's CRL without duplicate entries (when asked), entries whose certificate expired
   * (when asked), and the serials given; says what it removed.
   */
  PruneResult pruneCrl(boolean duplicates, boolean expired, Set<BigInteger> serials);
}
