package org.voxca.ca;

import java.math.BigInteger;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.voxca.ca.autosign.AutosignDecision;
import org.voxca.ca.autosign.AutosignPolicy;
import org.voxca.ca.autosign.Autosigning;
import org.voxca.ca.autosign.EnrolmentTokens;
import org.voxca.ca.autosign.GemSecret;
import org.voxca.pki.Csr;
import org.voxca.pki.Issuer;
import org.voxca.store.CaStore;
import org.voxca.store.Replicated;

/**
 * The facade: wires the sibling services over one {@link CaStore} and one published {@link
 * TrustState}, and forwards each operation to the one service that owns it — {@link Signing},
 * {@link Renewal}, {@link Revocation} (by name) over {@link CrlWriter} and {@link UpstreamCrls}
 * (the CRLs), {@link Statuses} (look-ups and listings). Holds no rule of its own.
 */
public final class DefaultCertificateAuthority implements ManagedCa {
  private final AtomicReference<Issuer> issuer;
  private final CaCertificateLife life;
  private final OcspService ocsp;
  private final CaSettings settings;
  private final TrustState trust;
  private final Signing signing;
  private final Renewal renewal;
  private final CrlWriter crls;
  private final UpstreamCrls upstream;
  private final Revocation revocation;
  private final Statuses statuses;
  private final Events events;
  private final Upkeep upkeep;
  private final Rollover rollover;
  private final RolloverState rolloverState;

  private final Autosigning autosigning;

  /** The CA over {@code store} (locked across processes by {@code replicas}), by {@code issuer}. */
  public DefaultCertificateAuthority(
      CaStore store,
      Replicated replicas,
      Issuer issuer,
      CaSettings settings,
      AutosignPolicy autosign,
      Clock clock) {
    this(store, replicas, issuer, settings, autosign, null, clock);
  }

  /**
   * As above, also accepting the autosign gem's tokens signed with {@code gemSecret} (or not:
   * null).
   */
  public DefaultCertificateAuthority(
      CaStore store,
      Replicated replicas,
      Issuer issuer,
      CaSettings settings,
      AutosignPolicy autosign,
      GemSecret gemSecret,
      Clock clock) {
    NameLocks locks = new NameLocks(256, replicas);
    this.events = new Events(clock);
    this.issuer = new AtomicReference<>(issuer);
    this.settings = settings;
    this.trust = new TrustState(store, issuer.certificate());
    RolloverState rolloverState = new RolloverState(store, settings.keys());
    this.rolloverState = rolloverState;
    // new certificates come from the rollover's next key while it is active
    Issuance issuance =
        new Issuance(
            store, () -> rolloverState.signer().orElseGet(this.issuer::get), settings, clock);
    this.autosigning =
        new Autosigning(store.enrolment(), clock, autosign, settings.tokenOrder(), gemSecret);
    this.signing = new Signing(store, settings, autosigning, issuance, trust, locks, events);
    this.renewal =
        new Renewal(
            rolloverState::accepted,
            store,
            issuer,
            settings,
            trust,
            issuance,
            locks,
            clock,
            events);
    this.crls =
        new CrlWriter(
            store,
            replicas,
            issuer,
            trust,
            new CrlPolicy(settings.crlTtl()),
            clock,
            events,
            settings.keys());
    this.upstream = new UpstreamCrls(store, this.issuer::get, crls, trust, clock, events);
    this.life = new CaCertificateLife(store, this.issuer, trust, clock, events, settings.keys());
    this.ocsp =
        new OcspService(
            store,
            this.issuer::get,
            () -> rolloverState.published().map(RolloverState.Next::issuer).orElse(null),
            trust,
            settings,
            clock);
    this.revocation = new Revocation(store, crls, new ServerNames(settings), locks, clock, events);
    this.statuses = new Statuses(store, trust, clock);
    crls.alsoRevokeOn(
        () -> rolloverState.published().map(RolloverState.Next::issuer).filter(i -> i != null));
    this.rollover =
        new Rollover(rolloverState, store, this.issuer::get, settings, crls, trust, clock, events);
    this.upkeep =
        new Upkeep(
            crls,
            life,
            trust,
            () -> rollover.reconcile() | rollover.refreshCrl(),
            rolloverState::refresh,
            settings.enableInfraCrl(),
            settings.keys());
  }

  @Override
  public EnrolmentTokens tokens() {
    return autosigning.tokens();
  }

  @Override
  public AutosignDecision autosignCheck(byte[] csrPem) {
    return signing.dryRun(csrPem);
  }

  @Override
  public Document caBundle() {
    return trust.bundle();
  }

  @Override
  public Document crl() {
    return trust.servedCrl(settings.enableInfraCrl());
  }

  @Override
  public Document fullCrl() {
    return trust.crl();
  }

  @Override
  public Optional<Document> certificate(String name) {
    return statuses.certificate(name);
  }

  @Override
  public Optional<Document> csr(String name) {
    return statuses.csr(name);
  }

  @Override
  public List<Document> pendingCsrs() {
    return statuses.pendingCsrs();
  }

  @Override
  public Optional<CertStatus> status(String name) {
    return statuses.status(name);
  }

  @Override
  public void eachStatus(
      String state, String nameGlob, Instant expiringBefore, Consumer<CertStatus> sink) {
    statuses.each(state, nameGlob, expiringBefore, sink);
  }

  @Override
  public Census census(Duration soon) {
    return statuses.census(soon);
  }

  @Override
  public Map<String, Map<String, Instant>> expirations() {
    return statuses.expirations();
  }

  @Override
  public SubmitResult submitCsr(String name, byte[] body) {
    return signing.submit(name, body);
  }

  @Override
  public Optional<PendingNote> pendingNote(String name) {
    return statuses.pendingNote(name);
  }

  @Override
  public void consoleSession(String admin, String outcome) {
    events.emit(CaEvent.Kind.CONSOLE_SESSION, admin, List.of(), outcome);
  }

  @Override
  public String claimedServerName(String name, Csr csr) {
    return signing.claimedServerName(name, csr);
  }

  @Override
  public boolean deleteCsr(String name) {
    return signing.deleteCsr(name);
  }

  @Override
  public void sign(String name, Duration ttl) {
    signing.sign(name, ttl);
  }

  @Override
  public SignResult signMany(List<String> names) {
    return signing.signMany(names);
  }

  @Override
  public SignResult signAll() {
    return signing.signAll();
  }

  @Override
  public Document renew(X509Certificate presented) {
    return renewal.renew(presented);
  }

  @Override
  public X509Certificate issueCliClient(String name, PublicKey key) {
    return signing.issueCliClient(name, key);
  }

  @Override
  public void revoke(String name) {
    revocation.revoke(name);
  }

  @Override
  public List<String> clean(List<String> names) {
    return revocation.clean(names);
  }

  @Override
  public void deleteFiles(String name) {
    revocation.deleteFiles(name);
  }

  @Override
  public void updateCrls(byte[] pem) {
    upstream.update(pem);
  }

  @Override
  public Set<BigInteger> serialsOf(String name) {
    return revocation.allSerials(name);
  }

  @Override
  public CaUpkeep upkeep() {
    return upkeep;
  }

  @Override
  public Issuer issuer() {
    return issuer.get();
  }

  @Override
  public List<X509Certificate> trustedCertificates() {
    return trust.certificates();
  }

  @Override
  public boolean isRevoked(X509Certificate cert) {
    return trust.revoked(cert);
  }

  @Override
  public void refuseRenewal(X509Certificate presented) {
    renewal.refuse(presented);
  }

  @Override
  public boolean recognizes(X509Certificate cert) {
    return renewal.recognizes(cert);
  }

  @Override
  public boolean isRevoked(BigInteger serial) {
    return trust.revoked(serial);
  }

  @Override
  public boolean isInfraNode(String certname) {
    return statuses.isInfraNode(certname);
  }

  @Override
  public void addTrustListener(CrlListener listener) {
    trust.addListener(listener);
  }

  @Override
  public X509Certificate extendCaCertificate(Duration ttl, boolean root, boolean force) {
    return life.extend(ttl, root, force);
  }

  @Override
  public void noteFetch(String certname, boolean bundle) {
    rolloverState.fetched(certname, bundle);
  }

  @Override
  public RolloverStatus rolloverStatus() {
    return rollover.status();
  }

  @Override
  public RolloverStatus prepareRollover(RolloverPlan plan) {
    return rollover.prepare(plan);
  }

  @Override
  public RolloverStatus activateRollover() {
    return rollover.activate();
  }

  @Override
  public RolloverStatus finishRollover(boolean force) {
    return rollover.finish(force, settings.certname());
  }

  @Override
  public RolloverStatus abortRollover() {
    return rollover.abort();
  }

  @Override
  public void addEventListener(CaEvent.Listener listener) {
    events.add(listener);
  }

  @Override
  public OcspReply ocsp(byte[] request) {
    return ocsp.respond(request);
  }
}
