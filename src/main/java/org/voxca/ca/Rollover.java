package org.voxca.ca;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voxca.pki.Certificates;
import org.voxca.pki.Fingerprints;
import org.voxca.pki.Issuer;
import org.voxca.pki.Pem;
import org.voxca.pki.PublicKeys;
import org.voxca.store.CaStore;
import org.voxca.store.NextGeneration;
import org.voxca.store.NextGeneration.Stage;

/**
 * A staged move of the CA to a new key. {@code prepare} makes the next generation — its key, a
 * self-signed certificate under a distinct name, and cross-certificates both ways — and publishes
 * it beside the current one ({@link Generations}), while the current key keeps signing everything;
 * {@code abort} takes it back out. The store's record is the commit point and every step runs as
 * the one CRL writer across replicas, so a crash part-way is completed by {@link #reconcile}.
 */
final class Rollover {
  private static final Logger LOG = LoggerFactory.getLogger(Rollover.class);

  private final CaStore store;
  private final Supplier<Issuer> issuer;
  private final CaSettings settings;
  private final CrlWriter crls;
  private final TrustState trust;
  private final Clock clock;
  private final EventSink events;
  private final Generations generations;
  private final RolloverState state;
  private final NextCa nextCa;
  private final RolloverWithdrawal withdrawal;
  private volatile Instant reconciled;

  Rollover(
      RolloverState state,
      CaStore store,
      Supplier<Issuer> issuer,
      CaSettings settings,
      CrlWriter crls,
      TrustState trust,
      Clock clock,
      EventSink events) {
    this.state = state;
    this.store = store;
    this.issuer = issuer;
    this.settings = settings;
    this.crls = crls;
    this.trust = trust;
    this.clock = clock;
    this.events = events;
    this.generations = new Generations(store, new CrlPolicy(settings.crlTtl()));
    this.nextCa = new NextCa(store, settings);
    this.withdrawal = new RolloverWithdrawal(store, generations::withdraw, settings.keys(), clock);
  }

  RolloverStatus status() {
    Optional<NextGeneration> next = store.documents().nextGeneration();
    X509Certificate current = issuer.get().certificate();
    if (next.isEmpty()) {
      return new RolloverStatus(
          "none", null, generation(current), null, false, "current", null, List.of());
    }
    List<X509Certificate> certs = Certificates.readCertificates(next.get().certificatePem());
    X509Certificate nextCert = certs.get(0);
    return new RolloverStatus(
        next.get().stage().text(),
        next.get().since(),
        generation(current),
        generation(nextCert),
        generations.published(nextCert),
        next.get().stage() == Stage.ACTIVE ? "next" : "current",
        fetches(),
        List.of(),
        certs.size() > 1 ? generation(certs.get(1)) : null);
  }

  RolloverStatus prepare(RolloverPlan plan) {
    RolloverStatus done =
        crls.exclusive(
            () -> {
              Optional<NextGeneration> existing = store.documents().nextGeneration();
              if (existing.isPresent()) {
                throw new CaException(
                    Reason.CONFLICT,
                    "A rollover is already "
                        + existing.get().stage().text()
                        + " (since "
                        + existing.get().since()
                        + "): abort it before preparing another");
              }
              Issuer current = issuer.get();
              CaKeys.requireAvailable(settings.keys(), "a rollover");
              Instant now = clock.instant();
              NextCa.Made made = nextCa.make(plan, current, trust.certificates(), now);
              KeyPair keys = made.keys();
              X509Certificate next = made.issuer().certificate();
              Issuer nextIssuer = made.issuer();
              String name = Certificates.commonName(next);
              String kept = settings.keys().keep("next", keys, next);
              Issuer root = made.root();
              String keptRoot =
                  root == null
                      ? null
                      : settings.keys().keep("next-root", made.rootKeys(), root.certificate());
              String certs = root == null ? Pem.encode(next) : Pem.encode(next, root.certificate());
              store
                  .documents()
                  .saveNextGeneration(
                      new NextGeneration(certs, kept, now, Stage.PREPARED, keptRoot));
              generations.publish(NextRecord.issuers(nextIssuer, root), made.published(), now);
              LOG.info(
                  "Rollover prepared: the next CA '{}' ({}){} is published beside '{}'; the current"
                      + " key still signs everything",
                  name,
                  PublicKeys.describe(keys.getPublic()),
                  root == null
                      ? ""
                      : " under the next root '"
                          + Certificates.commonName(root.certificate())
                          + "'",
                  current.certificate().getSubjectX500Principal().getName());
              return status();
            });
    trust.reload();
    state.refresh();
    events.emit(CaEvent.Kind.CA_ROLLOVER, "ca", List.of(), "prepared");
    return done;
  }

  /**
   * Makes the next key sign every new certificate and renewal; the current generation stays
   * published and trusted, its CRL kept current, and the server keeps its own certificate. 409
   * unless a rollover is prepared.
   */
  RolloverStatus activate() {
    RolloverStatus done =
        crls.exclusive(
            () -> {
              NextGeneration next = requireStage(Stage.PREPARED, "activate");
              X509Certificate cert = NextRecord.certificate(next);
              if (!generations.complete(cert)) {
                throw new CaException(
                    Reason.CONFLICT,
                    "The next CA is not in the CA bundle and CRL chain yet: wait for the server to"
                        + " finish publishing it");
              }
              CaKeys.requireAvailable(settings.keys(), "a rollover");
              if (next.keyPem() == null) {
                throw new CaException(
                    Reason.CA_UNUSABLE,
                    "This server has no copy of the next CA key: copy next_key.pem from the"
                        + " replica that prepared the rollover first");
              }
              settings.keys().open("next", next.keyPem()); // refuses (503) a key that cannot sign
              CaValidity.requireUsable(cert, clock.instant(), null, "the rollover");
              store.documents().saveNextGeneration(next.at(Stage.ACTIVE, clock.instant()));
              return status();
            });
    state.refresh();
    events.emit(CaEvent.Kind.CA_ROLLOVER, "ca", List.of(), "activated");
    LOG.info(
        "Rollover activated: '{}' now signs every new certificate and renewal",
        done.next().subject());
    return done;
  }

  /**
   * From {@code prepared}: takes the next generation out of the bundle and CRL chains and forgets
   * its key. From {@code active}: the current key signs again and the rollover is back to {@code
   * prepared}, the next generation still published so that what it signed stays trusted until
   * renewed; a second abort then withdraws it. 409 when no rollover is under way.
   */
  RolloverStatus abort() {
    Optional<NextGeneration> seen = store.documents().nextGeneration();
    if (seen.isPresent() && seen.get().stage() == Stage.ACTIVE) {
      RolloverStatus back =
          crls.exclusive(
              () -> {
                NextGeneration next = requireStage(Stage.ACTIVE, "abort");
                store.documents().saveNextGeneration(next.at(Stage.PREPARED, clock.instant()));
                return status()
                    .withNotes(
                        List.of(
                            "The current key signs again. What the next key signed stays trusted"
                                + " while the next CA is published: renewals re-issue it under the"
                                + " current key. Abort again to withdraw the next CA once nothing"
                                + " it signed is in use."));
              });
      state.refresh();
      events.emit(CaEvent.Kind.CA_ROLLOVER, "ca", List.of(), "deactivated");
      LOG.info("Rollover deactivated: the current key signs again");
      return back;
    }
    RolloverStatus done =
        crls.exclusive(
            () -> {
              NextGeneration next = requireStage(Stage.PREPARED, "abort");
              List<String> holders =
                  RolloverFinish.holders(
                      store,
                      trust,
                      NextRecord.certificate(next),
                      settings.certname(),
                      clock.instant());
              if (!holders.isEmpty()) {
                throw new CaException(
                    Reason.CONFLICT,
                    NextRecord.stillValid(holders, "the next CA")
                        + ": withdrawing it would cut them off; renew them (under the current"
                        + " key) or revoke them first");
              }
              RolloverStatus before = status();
              store.documents().saveNextGeneration(next.at(Stage.ABORTING));
              return before.withNotes(withdrawal.withdraw(next));
            });
    trust.reload();
    state.refresh();
    events.emit(CaEvent.Kind.CA_ROLLOVER, "ca", List.of(), "aborted");
    LOG.info("Rollover aborted: the CA bundle and CRL chain hold the current generation only");
    return new RolloverStatus(
        "none", null, done.current(), null, false, "current", null, done.notes());
  }

  /**
   * Makes the next generation the CA's only one, with every server stopped: refused (409, naming
   * them) while certificates of the current generation are still valid, unless {@code force}; the
   * server's own certificate ({@code serverName}) is not counted, as the caller re-issues it.
   */
  RolloverStatus finish(boolean force, String serverName) {
    return crls.exclusive(
        () -> {
          NextGeneration next = requireStage(Stage.ACTIVE, "finish");
          if (next.keyPem() == null || NextRecord.missingRootKey(next)) {
            throw new CaException(
                Reason.CA_UNUSABLE,
                "This server has no copy of the next CA key: finish where next_key.pem (and"
                    + " next_root_key.pem, when the root rolls) is");
          }
          X509Certificate current = issuer.get().certificate();
          List<String> holders =
              RolloverFinish.holders(store, trust, current, serverName, clock.instant());
          if (!holders.isEmpty() && !force) {
            throw new CaException(
                Reason.CONFLICT,
                NextRecord.stillValid(holders, "the current CA")
                    + ": renew or revoke them first, or force the finish (they stop verifying)");
          }
          store.documents().saveNextGeneration(next.at(Stage.FINISHING, clock.instant()));
          List<String> notes = new java.util.ArrayList<>();
          for (String where : RolloverFinish.complete(store)) {
            notes.add("The retired CA key remains in " + where + ": destroy it");
          }
          if (!holders.isEmpty()) {
            LOG.warn(
                "Rollover finished by force: {} certificate(s) of the retired CA no longer verify:"
                    + " {}",
                holders.size(),
                holders);
            notes.add(
                "Forced: "
                    + holders.size()
                    + " certificate(s) of the retired CA no longer verify: "
                    + String.join(", ", holders));
          }
          X509Certificate promoted = NextRecord.certificate(next);
          events.emit(CaEvent.Kind.CA_ROLLOVER, "ca", List.of(), "finished");
          LOG.info(
              "Rollover finished: '{}' is the CA's only generation",
              promoted.getSubjectX500Principal().getName());
          return new RolloverStatus(
              "none", null, generation(promoted), null, false, "current", null, notes);
        });
  }

  /** The record at {@code stage}, or the 409 {@code action} gets in any other. */
  private NextGeneration requireStage(Stage stage, String action) {
    Optional<NextGeneration> next = store.documents().nextGeneration();
    if (next.isEmpty()) {
      throw new CaException(Reason.CONFLICT, "No rollover is under way");
    }
    if (next.get().stage() != stage) {
      throw new CaException(
          Reason.CONFLICT,
          "Cannot "
              + action
              + ": the rollover is "
              + next.get().stage().text()
              + ", not "
              + stage.text());
    }
    return next.get();
  }

  /**
   * Completes what a crash interrupted: a prepared generation missing from the bundle or CRL chain
   * is published, an abort under way is finished. True when it wrote.
   */
  boolean reconcile() {
    Instant modified = store.documents().nextGenerationModified();
    if (modified.equals(reconciled)) {
      return state.refresh(); // checked once per change of the record, not every tick
    }
    Optional<NextGeneration> seen = store.documents().nextGeneration();
    if (seen.isEmpty()) {
      reconciled = modified;
      return state.refresh();
    }
    boolean changed =
        crls.exclusive(
            () -> {
              Optional<NextGeneration> next = store.documents().nextGeneration();
              if (next.isEmpty()) {
                return false;
              }
              if (next.get().stage() == Stage.FINISHING) {
                LOG.warn("A rollover finish is under way: restart this server once it is done");
                return false;
              }
              if (next.get().stage() == Stage.ABORTING) {
                withdrawal.withdraw(next.get()).forEach(n -> LOG.warn("{}", n));
                LOG.warn("Finished a rollover abort that was interrupted");
                return true;
              }
              X509Certificate cert = NextRecord.certificate(next.get());
              if (generations.complete(cert)) {
                return false;
              }
              if (next.get().keyPem() == null || NextRecord.missingRootKey(next.get())) {
                return false; // the replica that holds the keys completes it
              }
              LOG.warn("Finishing a rollover prepare that was interrupted");
              Issuer current = issuer.get();
              KeyPair keys = settings.keys().open("next", next.get().keyPem());
              Issuer nextIssuer = new Issuer(cert, keys.getPrivate(), List.of(cert));
              Issuer root = NextRecord.nextRoot(next.get(), settings.keys());
              Instant now = clock.instant();
              List<X509Certificate> certs =
                  nextCa.withCompanions(current, nextIssuer, root, trust.certificates(), now);
              generations.publish(NextRecord.issuers(nextIssuer, root), certs, now);
              return true;
            });
    if (changed) {
      trust.reload();
    }
    reconciled = modified;
    return state.refresh() | changed;
  }

  /**
   * Re-signs the next generation's CRLs (the next CA's, the next root's) when due; true when it
   * did.
   */
  boolean refreshCrl() {
    Optional<RolloverState.Next> next = state.published();
    if (next.isEmpty() || next.get().issuer() == null) {
      return false;
    }
    boolean wrote =
        crls.refreshOther(next.get().cert().getSubjectX500Principal(), next.get()::issuer);
    Issuer root = next.get().root();
    if (root != null) {
      wrote |= crls.refreshOther(root.certificate().getSubjectX500Principal(), () -> root);
    }
    return wrote;
  }

  private RolloverStatus.Fetches fetches() {
    FetchCounts f = state.fetches();
    return f == null ? null : new RolloverStatus.Fetches(f.bundles(), f.crls(), f.since());
  }

  private static RolloverStatus.Generation generation(X509Certificate c) {
    return new RolloverStatus.Generation(
        c.getSubjectX500Principal().getName(),
        Fingerprints.sha256(Certificates.der(c)),
        PublicKeys.describe(c.getPublicKey()),
        c.getNotAfter().toInstant());
  }
}
