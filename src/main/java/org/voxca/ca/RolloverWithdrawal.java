package org.voxca.ca;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import javax.security.auth.x500.X500Principal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voxca.pki.Certificates;
import org.voxca.pki.TokenReference;
import org.voxca.store.CaStore;
import org.voxca.store.NextGeneration;

/**
 * The end of an abort: the next generation (the next CA, and the next root when it rolled too) out
 * of the bundle and CRL chains, then its record and keys dropped — a token's objects destroyed, so
 * that a later prepare can make its keys under the same labels.
 */
final class RolloverWithdrawal {
  private static final Logger LOG = LoggerFactory.getLogger(RolloverWithdrawal.class);
  private final CaStore store;
  private final BiConsumer<X500Principal, Instant> unpublish;
  private final CaKeys keys;
  private final Clock clock;

  /** {@code unpublish} takes one CA, by name, out of the bundle and CRL chains. */
  RolloverWithdrawal(
      CaStore store, BiConsumer<X500Principal, Instant> unpublish, CaKeys keys, Clock clock) {
    this.store = store;
    this.unpublish = unpublish;
    this.keys = keys;
    this.clock = clock;
  }

  /** Withdraws {@code next}; returns notes naming where a key remains to destroy by hand. */
  List<String> withdraw(NextGeneration next) {
    for (X509Certificate c : Certificates.readCertificates(next.certificatePem())) {
      unpublish.accept(c.getSubjectX500Principal(), clock.instant());
    }
    List<String> left = new ArrayList<>(store.documents().dropNextGeneration());
    discard("next", next.keyPem(), left);
    discard("next-root", next.rootKeyPem(), left);
    return left.stream()
        .map(where -> "The aborted generation's key remains in " + where + ": destroy it")
        .toList();
  }

  /** Destroys a token's object that kept {@code kept}, and forgets the note asking to. */
  private void discard(String role, String kept, List<String> left) {
    if (kept == null || !TokenReference.is(kept)) {
      return;
    }
    try {
      if (keys.discard(role, kept)) {
        String label = "'" + TokenReference.label(kept) + "'";
        left.removeIf(where -> where.contains(label));
        LOG.info("Destroyed the aborted generation's key {} in the token", label);
      }
    } catch (RuntimeException e) {
      LOG.warn("Cannot destroy the aborted generation's key in the token: {}", e.getMessage());
    }
  }
}
