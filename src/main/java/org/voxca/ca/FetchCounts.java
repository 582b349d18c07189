package org.voxca.ca;

import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many distinct agents (by the certname of their verified certificate) fetched the CA bundle,
 * and the CRL chain, while a rollover's next CA was published — in this process, since it started
 * or the rollover began, whichever is later. At most {@link #CAP} names are kept each; the counts
 * then read "at least".
 */
final class FetchCounts {
  static final int CAP = 1_000_000;

  private final Instant since;
  private final Set<String> bundle = ConcurrentHashMap.newKeySet();
  private final Set<String> crl = ConcurrentHashMap.newKeySet();

  FetchCounts(Instant since) {
    this.since = since;
  }

  Instant since() {
    return since;
  }

  void bundle(String certname) {
    if (bundle.size() < CAP) {
      bundle.add(certname);
    }
  }

  void crl(String certname) {
    if (crl.size() < CAP) {
      crl.add(certname);
    }
  }

  int bundles() {
    return bundle.size();
  }

  int crls() {
    return crl.size();
  }
}
