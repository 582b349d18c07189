package org.voxca.ca;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voxca.store.CaStore;
import org.voxca.store.CertificateRecord;

/**
 * Puppet's duplicate policy, keyed on the CSR's CN: a name that already has a certificate (signed
 * or revoked) or a pending CSR is refused unless {@code allow-duplicate-certs}.
 */
final class DuplicatePolicy {
  private static final Logger LOG = LoggerFactory.getLogger(DuplicatePolicy.class);
  private final CaStore store;
  private final TrustState trust;
  private final boolean allowDuplicates;

  DuplicatePolicy(CaStore store, TrustState trust, boolean allowDuplicates) {
    this.store = store;
    this.trust = trust;
    this.allowDuplicates = allowDuplicates;
  }

  /**
   * Refuses (or, when duplicates are allowed, notes) a CN that already has a certificate or CSR.
   */
  void check(String cn) {
    if (!NameRules.pathSafe(cn)) {
      return; // cannot name a file; the name rules refuse it next
    }
    String state = null;
    Optional<CertificateRecord> cert = store.records().certificateRecord(cn);
    if (cert.isPresent()) {
      state = trust.revoked(cert.get().serial()) ? CertStatus.REVOKED : CertStatus.SIGNED;
    } else if (store.records().certificate(cn).isPresent()) {
      state = CertStatus.SIGNED; // a file the index cannot read (or has not seen yet)
    } else if (store.records().csr(cn).isPresent()) {
      state = CertStatus.REQUESTED;
    }
    if (state == null) {
      return;
    }
    String what = cn + " already has a " + state + " certificate";
    if (!allowDuplicates) {
      // A pending agent re-submits on every poll: routine, so INFO and not a rule failure's ERROR.
      LOG.info("{}; ignoring certificate request", what);
      throw CaException.invalid(what + "; ignoring certificate request");
    }
    LOG.info("{}; new certificate will overwrite it", what);
  }
}
