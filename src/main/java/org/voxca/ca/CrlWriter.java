package org.voxca.ca;

import java.math.BigInteger;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voxca.pki.CrlSummary;
import org.voxca.pki.Issuer;
import org.voxca.store.CaStore;
import org.voxca.store.Replicated;

/**
 * Every write of the CA's CRLs, one writer at a time: revocations appended to the CA's own CRL (the
 * first of the chain) and to the infrastructure CRL, re-signing a CRL close to its nextUpdate,
 * pruning, and a fresh infrastructure CRL. Dates and lifetime follow {@link CrlPolicy}.
 */
final class CrlWriter {
  private static final Logger LOG = LoggerFactory.getLogger(CrlWriter.class);
  private final CaStore store;
  private final Replicated replicas;
  private final EventSink events;
  private final Issuer issuer;
  private final TrustState trust;
  private final Clock clock;
  private final ReentrantLock lock = new ReentrantLock();
  private final CrlPolicy policy;
  private final CrlChains chains;
  private final OwnCrlAppender ownCrl;
  private final CrlPruner pruner;
  private final RootCrl rootCrl;
  private final CaKeys keys;
  private volatile Supplier<java.util.Optional<Issuer>> other = java.util.Optional::empty;

  CrlWriter(
      CaStore store,
      Replicated replicas,
      Issuer issuer,
      TrustState trust,
      CrlPolicy policy,
      Clock clock,
      EventSink events,
      CaKeys keys) {
    this.keys = keys;
    this.store = store;
    this.events = events;
    this.replicas = replicas;
    this.policy = policy;
    this.chains = new CrlChains(issuer, policy);
    this.issuer = issuer;
    this.trust = trust;
    this.clock = clock;
    this.ownCrl = new OwnCrlAppender(store, issuer);
    this.pruner = new CrlPruner(store, issuer);
    this.rootCrl =
        new RootCrl(
            store, issuer, keys, policy.refreshWindow(), policy.lifetime(), CrlPolicy.BACKDATE);
  }

  /**
   * Runs {@code write} as the one CRL writer; TLS and the served CRL are reloaded after a change.
   */
  <T> T exclusive(Supplier<T> write) {
    lock.lock();
    try (Replicated.Held everywhere = replicas.exclusive()) {
      return write.get();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Also lists every revocation on the CRL of the generation {@code other} gives while it gives one
   * (a key rollover's next generation: the serial counter is shared, so a serial names one
   * certificate of either generation, and each generation's clients check their issuer's CRL).
   */
  void alsoRevokeOn(Supplier<java.util.Optional<Issuer>> other) {
    this.other = other;
  }

  /**
   * Revokes the serials not yet on the CA's CRL — and, for an infrastructure node, on the
   * infrastructure CRL too. False when there was nothing to add.
   */
  boolean revoke(Set<BigInteger> serials, Set<BigInteger> infraSerials) {
    CaKeys.requireAvailable(keys, "a revocation");
    Set<BigInteger> fresh = new LinkedHashSet<>();
    boolean otherChanged = false;
    lock.lock();
    try (Replicated.Held everywhere = replicas.exclusive()) {
      for (BigInteger s : serials) {
        if (!trust.revoked(s)) {
          fresh.add(s);
        }
      }
      if (!fresh.isEmpty()) {
        appendOwn(fresh);
      }
      if (!infraSerials.isEmpty()) {
        store
            .documents()
            .infraCrlChain()
            .ifPresent(
                f -> addToFirst(f.bytes(), infraSerials, store.documents()::replaceInfraCrlChain));
      }
      java.util.Optional<Issuer> o = other.get();
      if (o.isPresent()) {
        otherChanged =
            addTo(
                o.get(),
                store.documents().crlChain().bytes(),
                serials,
                store.documents()::replaceCrlChain);
        if (!infraSerials.isEmpty() && store.documents().infraCrlChain().isPresent()) {
          otherChanged |=
              addTo(
                  o.get(),
                  store.documents().infraCrlChain().get().bytes(),
                  infraSerials,
                  store.documents()::replaceInfraCrlChain);
        }
      }
    } finally {
      lock.unlock();
    }
    if (fresh.isEmpty() && !otherChanged) {
      LOG.info("No revoke action needed. The certs are already in the CRL.");
      return false;
    }
    if (!infraSerials.isEmpty() || otherChanged) {
      trust.reload(); // the infrastructure CRL agents download must be current at once
    }
    return true;
  }

  /**
   * Adds the serials missing from the CRL of {@code signer} in a chain, re-signed by it with the
   * next CRL Number; true when it wrote. A chain without that CRL is left as it is.
   */
  private boolean addTo(
      Issuer signer, byte[] chainPem, Set<BigInteger> serials, Consumer<byte[]> write) {
    org.voxca.pki.CrlChainEdit chain = org.voxca.pki.CrlChainEdit.of(chainPem);
    javax.security.auth.x500.X500Principal name = signer.certificate().getSubjectX500Principal();
    int i = chain.indexOf(name);
    if (i < 0) {
      return false;
    }
    X509CRL crl = chain.crl(i); // the other generation's CRL only: small beside the CA's own
    Instant now = clock.instant();
    Map<BigInteger, Instant> fresh = new LinkedHashMap<>();
    for (BigInteger s : serials) {
      if (crl.getRevokedCertificate(s) == null) {
        fresh.put(s, now);
      }
    }
    if (fresh.isEmpty()) {
      return false;
    }
    BigInteger number =
        org.voxca.pki.CrlBuilder.number(crl).max(BigInteger.ZERO).add(BigInteger.ONE);
    chain.set(
        i,
        org.voxca.pki.CrlBuilder.build(
            signer, policy.thisUpdate(now), policy.nextUpdate(now), number, crl, fresh));
    write.accept(chain.pem());
    LOG.info("Revoked serial(s) {} on the CRL of {}", fresh.keySet(), name.getName());
    return true;
  }

  /**
   * Appends to the CA's own CRL and publishes it at once (CRL served, revoked set for TLS and
   * requests); listeners follow in the background.
   */
  private void appendOwn(Set<BigInteger> fresh) {
    Instant now = clock.instant();
    Instant thisUpdate = policy.thisUpdate(now);
    Instant nextUpdate = policy.nextUpdate(now);
    OwnCrlAppender.Appended a = ownCrl.append(fresh, now, thisUpdate, nextUpdate);
    trust.publishOwnCrl(a.chainPem(), a.modified(), thisUpdate, nextUpdate, a.number(), fresh);
  }

  /**
   * Reads the CA's CRL for appending ahead of the first revocation (at start, in the background).
   */
  void prepare() {
    exclusive(
        () -> {
          ownCrl.prepare();
          return null;
        });
  }

  /**
   * Re-signs the CA's CRL (and the infrastructure CRL) when its nextUpdate comes within the
   * policy's refresh window: same entries, CRL Number + 1, fresh dates. True when re-signed.
   */
  boolean refreshIfExpiring() {
    boolean changed =
        exclusive(
            () -> {
              boolean c =
                  resignIfExpiring(
                      store.documents().crlChain().bytes(), store.documents()::replaceCrlChain);
              c |=
                  rootCrl.refreshIfExpiring(
                      store.documents().crlChain().bytes(),
                      store.documents()::replaceCrlChain,
                      clock.instant());
              var infra = store.documents().infraCrlChain();
              if (infra.isPresent()) {
                c |= resignIfExpiring(infra.get().bytes(), store.documents()::replaceInfraCrlChain);
                c |=
                    rootCrl.refreshIfExpiring(
                        store.documents().infraCrlChain().orElseThrow().bytes(),
                        store.documents()::replaceInfraCrlChain,
                        clock.instant());
              }
              return c;
            });
    if (changed) {
      trust.reload();
      events.emit(CaEvent.Kind.CRL_RESIGNED, "ca", List.of(), "re-signed");
    }
    return changed;
  }

  /**
   * Re-signs the CRL of another generation of this CA ({@code name}, signed by {@code signer}'s
   * key, opened only when due) in every CRL chain, when its nextUpdate comes within the refresh
   * window.
   */
  boolean refreshOther(javax.security.auth.x500.X500Principal name, Supplier<Issuer> signer) {
    boolean changed =
        exclusive(
            () -> {
              Instant now = clock.instant();
              boolean c =
                  rootCrl.resignIfDue(
                      name,
                      signer,
                      store.documents().crlChain().bytes(),
                      store.documents()::replaceCrlChain,
                      now);
              var infra = store.documents().infraCrlChain();
              if (infra.isPresent()) {
                c |=
                    rootCrl.resignIfDue(
                        name,
                        signer,
                        infra.get().bytes(),
                        store.documents()::replaceInfraCrlChain,
                        now);
              }
              return c;
            });
    if (changed) {
      trust.reload();
      events.emit(CaEvent.Kind.CRL_RESIGNED, "ca", List.of(), "re-signed " + name.getName());
    }
    return changed;
  }

  /** Creates the infrastructure CRL when {@code enabled} and the store has none yet. */
  void ensureInfraCrl(boolean enabled) {
    if (enabled && store.documents().infraCrlChain().isEmpty()) {
      createInfraCrl();
    }
  }

  /** A fresh, empty infrastructure CRL chain beside the CA's (replacing any there was). */
  void createInfraCrl() {
    store
        .documents()
        .replaceInfraCrlChain(
            chains.emptyLike(store.documents().crlChain().bytes(), clock.instant()));
    trust.reload();
    LOG.info("Created the infrastructure CRL");
  }

  private boolean resignIfExpiring(byte[] chainPem, Consumer<byte[]> write) {
    Instant next = CrlSummary.headersOfChain(chainPem).get(0).nextUpdate();
    Instant now = clock.instant();
    if (next != null && next.isAfter(now.plus(policy.refreshWindow()))) {
      return false; // read without a full parse: the common case at every start
    }
    List<X509CRL> chain = CrlChains.read(chainPem);
    write.accept(chains.resigned(chain, Map.of(), now));
    LOG.info("Re-signed a CRL whose nextUpdate was {}", chain.get(0).getNextUpdate());
    return true;
  }

  /** Adds the serials to the first CRL of a chain, re-signed with the next CRL Number. */
  private void addToFirst(byte[] chainPem, Set<BigInteger> serials, Consumer<byte[]> write) {
    List<X509CRL> chain = CrlChains.read(chainPem);
    if (chain.isEmpty()) {
      throw new CaException(Reason.UNAVAILABLE, "The CA's CRL chain is empty");
    }
    X509CRL own = chain.get(0);
    Instant now = clock.instant();
    Map<BigInteger, Instant> fresh = new LinkedHashMap<>();
    for (BigInteger s : serials) {
      if (own.getRevokedCertificate(s) == null) {
        fresh.put(s, now);
      }
    }
    if (!fresh.isEmpty()) {
      write.accept(chains.resigned(chain, fresh, now));
      LOG.info("Revoked serial(s) {}", fresh.keySet());
    }
  }

  /** {@code prune}: see {@link CrlPruner}. */
  PruneResult prune(boolean duplicates, boolean expired, Set<BigInteger> serials) {
    Instant now = clock.instant();
    PruneResult r =
        exclusive(
            () ->
                pruner.prune(
                    duplicates,
                    expired,
                    serials,
                    now,
                    policy.thisUpdate(now),
                    policy.nextUpdate(now)));
    if (r.duplicates() + r.entries() > 0) {
      trust.reload();
    }
    return r;
  }
}
