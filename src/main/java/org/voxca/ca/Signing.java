package org.voxca.ca;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voxca.ca.CertificateAuthority.SubmitResult;
import org.voxca.ca.autosign.AutosignDecision;
import org.voxca.ca.autosign.Autosigning;
import org.voxca.pki.Csr;
import org.voxca.pki.PkiException;
import org.voxca.store.CaStore;
import org.voxca.store.Replicated;
import org.voxca.store.StoredFile;

/**
 * CSRs from submission to certificate: the submission with Puppet's duplicate policy and name
 * rules, autosign, and signing a pending CSR — one implementation, whether an agent's autosigned
 * PUT, an operator's {@code certificate_status} PUT or a bulk {@code sign} asks for it.
 */
final class Signing {
  private static final Logger LOG = LoggerFactory.getLogger(Signing.class);
  private final RateLimitedLog refusals = new RateLimitedLog(LOG);

  private final CaStore store;
  private final Autosigning autosign;
  private final CsrPolicy policy;
  private final KeyPolicy keys;
  private final ServerNames serverNames;
  private final Issuance issuance;
  private final DuplicatePolicy duplicates;
  private final NameLocks locks;
  private final EventSink events;

  Signing(
      CaStore store,
      CaSettings settings,
      Autosigning autosign,
      Issuance issuance,
      TrustState trust,
      NameLocks locks,
      EventSink events) {
    this.events = events;
    this.store = store;
    this.autosign = autosign;
    this.policy = new CsrPolicy(settings);
    this.keys = new KeyPolicy(settings.minRsaKeyBits());
    this.serverNames = new ServerNames(settings);
    this.issuance = issuance;
    this.duplicates = new DuplicatePolicy(store, trust, settings.allowDuplicateCerts());
    this.locks = locks;
  }

  SubmitResult submit(String name, byte[] body) {
    Csr csr;
    try {
      csr = Csr.fromPem(new String(body, StandardCharsets.UTF_8));
    } catch (PkiException e) {
      throw new CaException(Reason.BAD_REQUEST, "Invalid certificate request: " + e.getMessage());
    }
    keys.check(csr);
    issuance.requireCaUsable(name); // a CSR that can never be signed is not stored
    String cn = csr.commonName();
    try (Replicated.Held held = locks.hold(name)) {
      duplicates.check(cn);
      return submitChecked(name, cn, csr, body);
    }
  }

  /** What autosigning would decide for this CSR under its CN, storing and taking nothing. */
  AutosignDecision dryRun(byte[] body) {
    Csr csr;
    try {
      csr = Csr.fromPem(new String(body, StandardCharsets.UTF_8));
    } catch (PkiException e) {
      throw new CaException(Reason.BAD_REQUEST, "Invalid certificate request: " + e.getMessage());
    }
    String name = csr.commonName();
    NameRules.validateSubject(name, name);
    String claimed = serverNames.claimedBy(name, csr);
    if (claimed != null) {
      return AutosignDecision.pending(
          "claims the CA server's name " + claimed + ": never autosigned");
    }
    return autosign.decide(name, csr, body, true);
  }

  /** The rest of a submission, under the name's lock; a rule failure is logged as an ERROR. */
  private SubmitResult submitChecked(String name, String cn, Csr csr, byte[] body) {
    try {
      NameRules.validateSubject(name, cn);
      if (!csr.signatureValid()) {
        // voxca is stricter than Puppet: a CSR whose signature fails is never stored
        throw CaException.invalid(CsrPolicy.BAD_SIGNATURE);
      }
      store.records().saveCsr(name, csr.toPem().getBytes(StandardCharsets.US_ASCII));
      events.emit(CaEvent.Kind.CSR_SUBMITTED, name, List.of(), "stored");
      String claimed = serverNames.claimedBy(name, csr);
      if (claimed != null) {
        LOG.warn(
            "Certificate request for {} claims the CA server's name {}: never autosigned;"
                + " an operator may sign it explicitly",
            name,
            claimed);
        store
            .enrolment()
            .recordDecision(
                name,
                PendingNote.of("claims the CA server's name " + claimed + ": never autosigned"));
        events.emit(
            CaEvent.Kind.AUTOSIGN_DECLINED,
            name,
            List.of(),
            "claims-server-name: claims the CA server's name " + claimed);
        return SubmitResult.PENDING;
      }
      AutosignDecision decision = autosign.decide(name, csr, body, false);
      if (!decision.sign()) {
        store.enrolment().recordDecision(name, PendingNote.of(decision.reason()));
        LOG.info("Certificate request for {} is pending: {}", name, decision.reason());
        events.emit(
            CaEvent.Kind.AUTOSIGN_DECLINED, name, List.of(), "pending: " + decision.reason());
        return SubmitResult.PENDING;
      }
      policy.check(csr);
      issue(name, csr, null, Actor.AUTOSIGN, "signed: " + decision.reason());
      return SubmitResult.SIGNED;
    } catch (CaException e) {
      if (e.reason() == Reason.INVALID_CSR) {
        refusals.log("{}", e.getMessage());
      }
      throw e;
    }
  }

  /**
   * Signs the pending CSR of {@code name} ({@code certificate_status} PUT "signed"): 404 for an
   * unknown name, 409 without a CSR or when the CSR breaks a rule.
   */
  void sign(String name, Duration ttl) {
    NameRules.validateLookup(name);
    try (Replicated.Held held = locks.hold(name)) {
      Optional<StoredFile> pending = store.records().csr(name);
      if (pending.isEmpty()) {
        if (store.records().certificate(name).isEmpty()) {
          throw new CaException(Reason.NOT_FOUND, "Invalid certificate subject.");
        }
        throw new CaException(
            Reason.CONFLICT,
            "Cannot sign certificate for host " + name + " without a certificate request");
      }
      signPending(name, pending.get(), ttl);
    }
  }

  /** Signs the named pending CSRs; a CSR that cannot be signed is reported, never blocks others. */
  SignResult signMany(List<String> names) {
    List<String> signed = new ArrayList<>();
    List<String> noCsr = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (String name : names) {
      if (!NameRules.pathSafe(name)) {
        errors.add(name);
        continue;
      }
      try (Replicated.Held held = locks.hold(name)) {
        Optional<StoredFile> pending = store.records().csr(name);
        if (pending.isEmpty()) {
          noCsr.add(name);
          continue;
        }
        signPending(name, pending.get(), null);
        signed.add(name);
      } catch (CaException | IllegalArgumentException | IllegalStateException e) {
        LOG.error("Could not sign {}: {}", name, e.getMessage());
        errors.add(name);
      }
    }
    return new SignResult(signed, noCsr, errors);
  }

  /** An admin (CLI) client certificate for {@code name} and {@code key}, signed at once. */
  X509Certificate issueCliClient(String name, PublicKey key) {
    NameRules.validateSubject(name, name);
    long t0 = System.nanoTime();
    X509Certificate cert = issuance.cliClient(name, key);
    events.emit(
        CaEvent.Kind.SIGNED,
        Actor.current(),
        name,
        List.of(cert.getSerialNumber()),
        "signed (admin certificate)",
        Duration.ofNanos(System.nanoTime() - t0));
    return cert;
  }

  SignResult signAll() {
    return signMany(store.records().csrNames());
  }

  String claimedServerName(String name, Csr csr) {
    return serverNames.claimedBy(name, csr);
  }

  boolean deleteCsr(String name) {
    NameRules.validateLookup(name);
    try (Replicated.Held held = locks.hold(name)) {
      boolean deleted = store.records().deleteCsr(name);
      if (deleted) {
        events.emit(CaEvent.Kind.CSR_DELETED, name, List.of(), "deleted");
      }
      return deleted;
    }
  }

  /**
   * The one way a stored CSR becomes a certificate, under the name's lock: parse, name rules,
   * policy, sign, delete the CSR. Any refusal is a 409 naming the problem.
   */
  private void signPending(String name, StoredFile pending, Duration ttl) {
    issuance.requireCaUsable(name);
    issuance.requireWithinCaLife(name, ttl);
    Csr csr;
    try {
      csr = Csr.fromPem(pending.text());
      keys.check(csr);
      NameRules.validateSubject(name, csr.commonName());
      policy.check(csr);
    } catch (PkiException e) {
      throw new CaException(
          Reason.CONFLICT,
          "The stored certificate request for " + name + " is unreadable: " + e.getMessage());
    } catch (CaException e) {
      throw new CaException(Reason.CONFLICT, e.getMessage());
    }
    String claimed = serverNames.claimedBy(name, csr);
    if (claimed != null) {
      LOG.warn(
          "Signing {} on an operator's request, though it claims the CA server's name {}",
          name,
          claimed);
    }
    issue(name, csr, ttl, Actor.current(), "signed");
  }

  private void issue(String name, Csr csr, Duration ttl, String actor, String detail) {
    long t0 = System.nanoTime();
    X509Certificate cert = issuance.signCsr(name, csr, issuance.ttlFor(csr, ttl));
    Duration took = Duration.ofNanos(System.nanoTime() - t0); // the CSR is consumed with it
    events.emit(CaEvent.Kind.SIGNED, actor, name, List.of(cert.getSerialNumber()), detail, took);
  }
}
