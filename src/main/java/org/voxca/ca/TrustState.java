package org.voxca.ca;

import java.math.BigInteger;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voxca.pki.Certificates;
import org.voxca.pki.PkiException;
import org.voxca.store.CaStore;
import org.voxca.store.StoredFile;

/**
 * The CA bundle and CRL chain as published: the stored bytes (served as they are), their parsed
 * form and the set of serials this CA revoked. Re-read when the files change on disk (an offline
 * tool edited them) and after every write, then listeners are told.
 */
final class TrustState {
  private static final Logger LOG = LoggerFactory.getLogger(TrustState.class);

  private record Snapshot(
      Document bundle, Document crl, Document infraCrl, List<X509Certificate> certs, List<X509CRL> crls,
      Set<BigInteger> revoked) {}

  private final CaStore store;
  private final X509Certificate signingCert;
  private final List<CrlListener> listeners = new CopyOnWriteArrayList<>();
  private volatile Snapshot current;

  TrustState(CaStore store, X509Certificate signingCert) {
    this.store = store;
    this.signingCert = signingCert;
    this.current = load();
  }

  private Snapshot load() {
    StoredFile b = store.caBundle();
    StoredFile c = store.crlChain();
    List<X509Certificate> certs = Certificates.readCertificates(b.text());
    List<X509CRL> crls = Certificates.readCrlsFast(c.bytes());
    Set<BigInteger> revoked = new HashSet<>();
    for (X509CRL crl : crls) {
      if (crl.getIssuerX500Principal().equals(signingCert.getSubjectX500Principal())) {
        Set<? extends X509CRLEntry> entries = crl.getRevokedCertificates();
        if (entries != null) {
          for (X509CRLEntry e : entries) {
            revoked.add(e.getSerialNumber());
          }
        }
      }
    }
    Document infra = store.infraCrlChain().map(f -> new Document(f.bytes(), f.modified())).orElse(null);
    return new Snapshot(
        new Document(b.bytes(), b.modified()), new Document(c.bytes(), c.modified()), infra,
        List.copyOf(certs), List.copyOf(crls), Set.copyOf(revoked));
  }

  Document bundle() {
    return current.bundle();
  }

  Document crl() {
    return current.crl();
  }

  /** The infrastructure CRL chain, or null when there is none. */
  Document infraCrl() {
    return current.infraCrl();
  }

  List<X509Certificate> certificates() {
    return current.certs();
  }

  List<X509CRL> crls() {
    return current.crls();
  }

  boolean revoked(BigInteger serial) {
    return current.revoked().contains(serial);
  }

  void addListener(CrlListener l) {
    listeners.add(l);
  }

  /** Re-reads the files when their modification time moved; true when something changed. */
  boolean refreshIfChanged() {
    return refresh(false);
  }

  /** Re-reads after this process wrote the files, whatever their modification time says. */
  boolean reload() {
    return refresh(true);
  }

  private final Object refreshLock = new Object();

  /**
   * Parses outside the snapshot's monitor, so a {@link #publishOwnCrl} never waits for a parse of
   * a large CRL; a parse overtaken by a newer publish is dropped (the publish queued its own).
   */
  private boolean refresh(boolean force) {
    synchronized (refreshLock) {
      Snapshot s = current;
      if (!force && store.caBundleModified().equals(s.bundle().modified())
          && store.crlChainModified().equals(s.crl().modified())) {
        return false;
      }
      Snapshot next;
      try {
        next = load();
      } catch (PkiException | IllegalStateException e) {
        LOG.warn("CA bundle or CRL changed on disk but cannot be read yet ({}); keeping the previous one",
            e.getMessage());
        return false;
      }
      boolean changed;
      synchronized (this) {
        if (current.crl().modified().isAfter(next.crl().modified())) {
          return false;
        }
        changed = !java.util.Arrays.equals(next.bundle().bytes(), s.bundle().bytes())
            || !java.util.Arrays.equals(next.crl().bytes(), s.crl().bytes());
        current = next;
      }
      if (changed || force) {
        LOG.info("CA bundle or CRL reloaded; {} revoked serials", next.revoked().size());
        notifyListeners();
      }
      return changed;
    }
  }

  private final java.util.concurrent.atomic.AtomicBoolean reloadQueued = new java.util.concurrent.atomic.AtomicBoolean();
  private final java.util.concurrent.ExecutorService reloader = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "voxca-trust-reload");
    t.setDaemon(true);
    return t;
  });

  /**
   * Publishes a CRL chain this process just wrote: the served bytes and the revoked serials change
   * at once; the parsed CRLs (and so TLS) follow from a background reload.
   */
  synchronized void publishOwnCrl(byte[] chainPem, java.time.Instant mtime, Set<BigInteger> added) {
    Snapshot s = current;
    Set<BigInteger> revoked = new HashSet<>(s.revoked());
    revoked.addAll(added);
    current = new Snapshot(s.bundle(), new Document(chainPem, mtime), s.infraCrl(), s.certs(), s.crls(),
        java.util.Collections.unmodifiableSet(revoked));
    if (reloadQueued.compareAndSet(false, true)) {
      reloader.execute(() -> {
        reloadQueued.set(false);
        try {
          reload();
        } catch (RuntimeException e) {
          LOG.error("Reloading the CRL for TLS failed; the file watch will retry", e);
        }
      });
    }
  }

  void notifyListeners() {
    Snapshot s = current;
    for (CrlListener l : listeners) {
      try {
        l.trustChanged(s.certs(), s.crls());
      } catch (RuntimeException e) {
        LOG.error("CRL listener failed", e);
      }
    }
  }
}
