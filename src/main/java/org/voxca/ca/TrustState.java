package org.voxca.ca;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.security.auth.x500.X500Principal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voxca.pki.Certificates;
import org.voxca.pki.CrlSummary;
import org.voxca.pki.PkiException;
import org.voxca.pki.SerialSet;
import org.voxca.store.CaStore;
import org.voxca.store.StoredFile;

/**
 * The CA bundle and CRL chain as published: the stored bytes (served as they are), their parsed
 * form and the set of serials this CA revoked. Re-read when the files change on disk (an offline
 * tool edited them) and after every write, then listeners are told.
 */
final class TrustState {
  private static final Logger LOG = LoggerFactory.getLogger(TrustState.class);

  /**
   * One published state. {@code revoked} maps each CRL issuer to its revoked serials, {@code own}
   * being this CA's.
   */
  private record Snapshot(
      Document bundle,
      Document crl,
      Document infraCrl,
      List<X509Certificate> certs,
      List<CrlSummary> crls,
      Map<X500Principal, SerialSet> revoked,
      SerialSet own) {}

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
    StoredFile b = store.documents().caBundle();
    StoredFile c = store.documents().crlChain();
    List<X509Certificate> certs = Certificates.readCertificates(b.text());
    List<CrlSummary> crls = new ArrayList<>();
    for (CrlSummary full : CrlSummary.ofChain(c.bytes())) {
      crls.add(
          full.withoutDer(full.serials())); // 3.5 MB of DER at 100,000 entries, not needed here
    }
    Map<X500Principal, SerialSet> revoked = new HashMap<>();
    for (CrlSummary crl : crls) {
      revoked.merge(crl.issuer(), crl.serials(), (x, y) -> x.plus(y.toSet()));
    }
    SerialSet own =
        revoked.computeIfAbsent(signingCert.getSubjectX500Principal(), k -> SerialSet.EMPTY);
    Document infra =
        store
            .documents()
            .infraCrlChain()
            .map(f -> new Document(f.bytes(), f.modified()))
            .orElse(null);
    return new Snapshot(
        new Document(b.bytes(), b.modified()),
        new Document(c.bytes(), c.modified()),
        infra,
        List.copyOf(certs),
        List.copyOf(crls),
        Map.copyOf(revoked),
        own);
  }

  Document bundle() {
    return current.bundle();
  }

  Document crl() {
    return current.crl();
  }

  /**
   * The CRL chain agents are served: the infrastructure CRL when {@code infra} (Puppet's {@code
   * enable-infra-crl}) is on and one exists, the full CRL chain otherwise.
   */
  Document servedCrl(boolean infra) {
    Document i = infra ? current.infraCrl() : null;
    return i != null ? i : current.crl();
  }

  List<X509Certificate> certificates() {
    return current.certs();
  }

  /** The CRL chain as summaries (issuer, dates, number, serials), without a full parse. */
  List<CrlSummary> crlSummaries() {
    return current.crls();
  }

  /** True when {@code serial} is on this CA's own CRL. */
  boolean revoked(BigInteger serial) {
    return current.own().contains(serial);
  }

  /** True when a CRL of the chain from {@code cert}'s issuer lists its serial. */
  boolean revoked(X509Certificate cert) {
    SerialSet s = current.revoked().get(cert.getIssuerX500Principal());
    return s != null && s.contains(cert.getSerialNumber());
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
   * Parses outside the snapshot's monitor, so a {@link #publishOwnCrl} never waits for a parse of a
   * large CRL; a parse overtaken by a newer publish is dropped (the publish queued its own).
   */
  private boolean refresh(boolean force) {
    synchronized (refreshLock) {
      Snapshot s = current;
      if (!force
          && store.documents().caBundleModified().equals(s.bundle().modified())
          && store.documents().crlChainModified().equals(s.crl().modified())) {
        return false;
      }
      Snapshot next;
      try {
        next = load();
      } catch (PkiException | IllegalStateException e) {
        LOG.warn(
            "CA bundle or CRL changed on disk but cannot be read yet ({}); keeping the previous one",
            e.getMessage());
        return false;
      }
      boolean changed;
      synchronized (this) {
        if (current.crl().modified().isAfter(next.crl().modified())) {
          return false;
        }
        changed =
            !Arrays.equals(next.bundle().bytes(), s.bundle().bytes())
                || !Arrays.equals(next.crl().bytes(), s.crl().bytes());
        current = next;
      }
      if (changed || force) {
        LOG.info("CA bundle or CRL reloaded; {} revoked serials", next.own().size());
        notifyListeners();
      }
      return changed;
    }
  }

  private final AtomicBoolean notifyQueued = new AtomicBoolean();
  private final ExecutorService notifier =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "voxca-trust-notify");
            t.setDaemon(true);
            return t;
          });

  /**
   * Publishes a CRL chain this process just wrote, whose own CRL has the given dates and number and
   * this state's serials plus {@code added}: the served bytes and the revoked serials change at
   * once, without re-reading or re-parsing anything; listeners (TLS, the ssldir copy) are told from
   * a background thread, several revocations in a row coalescing into one notification.
   */
  synchronized void publishOwnCrl(
      byte[] chainPem,
      Instant mtime,
      Instant thisUpdate,
      Instant nextUpdate,
      BigInteger number,
      Set<BigInteger> added) {
    Snapshot s = current;
    SerialSet own = s.own().plus(added);
    Map<X500Principal, SerialSet> revoked = new HashMap<>(s.revoked());
    revoked.put(signingCert.getSubjectX500Principal(), own);
    List<CrlSummary> crls = new ArrayList<>(s.crls());
    crls.set(
        0,
        new CrlSummary(
            new byte[0],
            signingCert.getSubjectX500Principal(),
            thisUpdate,
            nextUpdate,
            number,
            own,
            0,
            0));
    current =
        new Snapshot(
            s.bundle(),
            new Document(chainPem, mtime),
            s.infraCrl(),
            s.certs(),
            List.copyOf(crls),
            Map.copyOf(revoked),
            own);
    if (notifyQueued.compareAndSet(false, true)) {
      notifier.execute(
          () -> {
            notifyQueued.set(false);
            notifyListeners();
          });
    }
  }

  void notifyListeners() {
    Snapshot s = current;
    for (CrlListener l : listeners) {
      try {
        l.trustChanged(s.certs());
      } catch (RuntimeException e) {
        LOG.error("CRL listener failed", e);
      }
    }
  }
}
