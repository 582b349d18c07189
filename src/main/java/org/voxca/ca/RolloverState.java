package org.voxca.ca;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voxca.pki.Certificates;
import org.voxca.pki.Issuer;
import org.voxca.store.CaStore;
import org.voxca.store.NextGeneration;
import org.voxca.store.NextGeneration.Stage;

/**
 * What this process knows of a rollover, re-read from the store when its record changes (polled
 * every second, so every replica follows a stage within about a second): which key signs new
 * certificates, and which CA certificates renewal and revocation accept. The next key is opened
 * once per change; a replica that cannot open it refuses to sign while the next key is active.
 */
final class RolloverState {
  private static final Logger LOG = LoggerFactory.getLogger(RolloverState.class);

  /**
   * A next generation as read: its record, certificate and issuer (null when its key failed), and
   * the next root with its key when the root rolls too and this process holds that key.
   */
  record Next(
      NextGeneration record, X509Certificate cert, Issuer issuer, String problem, Issuer root) {}

  private final CaStore store;
  private final CaKeys keys;
  private Instant seen;
  private volatile Next next;
  private volatile FetchCounts fetches;

  RolloverState(CaStore store, CaKeys keys) {
    this.store = store;
    this.keys = keys;
    refresh();
  }

  /**
   * Re-reads the record when it changed, and retries a next key this process could not open (a
   * replica whose copy arrived since); true when something changed.
   */
  synchronized boolean refresh() {
    Instant modified = store.documents().nextGenerationModified();
    if (modified.equals(seen)) {
      Next n = next;
      if (n != null && n.issuer() == null && n.record().published()) {
        Optional<NextGeneration> again = store.documents().nextGeneration();
        return again.isPresent() && open(again.get(), false);
      }
      return false;
    }
    Optional<NextGeneration> record = store.documents().nextGeneration();
    seen = modified;
    if (record.isEmpty()) {
      next = null;
      fetches = null;
      return true;
    }
    Next before = next;
    open(record.get(), true);
    if (before == null || !before.cert().equals(next.cert())) {
      fetches = new FetchCounts(Instant.now());
    }
    return true;
  }

  /** Opens the record's key; true when it could. A failure is logged once per record. */
  private boolean open(NextGeneration record, boolean log) {
    X509Certificate cert = Certificates.readCertificates(record.certificatePem()).get(0);
    if (record.keyPem() == null) {
      if (log) {
        LOG.error(
            "This server has no copy of the rollover's next CA key: copy next_key.pem from the"
                + " replica that prepared the rollover into this one's CA directory");
      }
      next = new Next(record, cert, null, "no copy of the next key here", null);
      return false;
    }
    try {
      KeyPair pair = keys.open("next", record.keyPem());
      Issuer issuer = new Issuer(cert, pair.getPrivate(), List.of(cert));
      next = new Next(record, cert, issuer, null, root(record, log));
      return true;
    } catch (RuntimeException e) {
      if (log) {
        LOG.error("Cannot open the rollover's next CA key: {}", e.getMessage());
      }
      next = new Next(record, cert, null, e.getMessage(), null);
      return false;
    }
  }

  /** The next root as an issuer when the root rolls too and its key opens here; else null. */
  private Issuer root(NextGeneration record, boolean log) {
    List<X509Certificate> certs = Certificates.readCertificates(record.certificatePem());
    if (certs.size() < 2) {
      return null;
    }
    if (record.rootKeyPem() == null) {
      if (log) {
        LOG.warn(
            "This server has no copy of the rollover's next root key (next_root_key.pem): the"
                + " replica that has one keeps the next root's CRL current");
      }
      return null;
    }
    try {
      KeyPair pair = keys.open("next-root", record.rootKeyPem());
      return new Issuer(certs.get(1), pair.getPrivate(), List.of(certs.get(1)));
    } catch (RuntimeException e) {
      if (log) {
        LOG.error("Cannot open the rollover's next root key: {}", e.getMessage());
      }
      return null;
    }
  }

  /**
   * The issuer of new certificates while the next key is active; empty otherwise. A 503 when it is
   * active but this process cannot open it.
   */
  Optional<Issuer> signer() {
    Next n = next;
    if (n == null || n.record().stage() != Stage.ACTIVE) {
      return Optional.empty();
    }
    if (n.issuer() == null) {
      throw new CaException(
          Reason.CA_UNUSABLE,
          "The rollover's next CA key is active, but this server cannot open it ("
              + n.problem()
              + "): nothing can be signed here until it can");
    }
    return Optional.of(n.issuer());
  }

  /** The next generation while it is published (prepared or active), its key when open. */
  Optional<Next> published() {
    Next n = next;
    return n != null && n.record().published() ? Optional.of(n) : Optional.empty();
  }

  /** Notes that {@code certname} fetched the CA bundle ({@code bundle}) or the CRL chain. */
  void fetched(String certname, boolean bundle) {
    FetchCounts f = fetches;
    if (f != null && published().isPresent()) {
      if (bundle) {
        f.bundle(certname);
      } else {
        f.crl(certname);
      }
    }
  }

  /** The fetch counts of the published next generation, or null. */
  FetchCounts fetches() {
    return published().isPresent() ? fetches : null;
  }

  /** The CA certificates whose certificates are this CA's: {@code current}, and the next one. */
  List<X509Certificate> accepted(X509Certificate current) {
    return published().map(n -> List.of(current, n.cert())).orElse(List.of(current));
  }
}
