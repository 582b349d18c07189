package org.voxca.ca;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voxca.ca.autosign.AutosignPolicy;
import org.voxca.pki.Certificates;
import org.voxca.pki.Csr;
import org.voxca.pki.Issuer;
import org.voxca.pki.PkiException;
import org.voxca.store.CaStore;
import org.voxca.store.StoredFile;

/**
 * The Puppet CA rules over a {@link CaStore}: CSR submission with Puppet's duplicate policy,
 * name rules and signing policy (spec §2.2, §4), autosign (§5), and the published CA bundle and
 * CRL. Knows nothing of HTTP or of files.
 */
public final class DefaultCertificateAuthority implements CertificateAuthority {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultCertificateAuthority.class);

  private final CaStore store;
  private final CaSettings settings;
  private final AutosignPolicy autosign;
  private final Issuer issuer;
  private final CsrPolicy policy;
  private final Signer signer;
  private final TrustState trust;
  private final Revoker revoker;
  private final Clock clock;
  private final CaOperations operations;
  private final Renewer renewer;
  private final NameLocks locks = new NameLocks(256);

  public DefaultCertificateAuthority(
      CaStore store, Issuer issuer, CaSettings settings, AutosignPolicy autosign, Clock clock) {
    this.store = store;
    this.issuer = issuer;
    this.settings = settings;
    this.autosign = autosign;
    this.policy = new CsrPolicy(settings);
    this.signer = new Signer(store, issuer, settings, clock);
    this.trust = new TrustState(store, issuer.certificate());
    this.revoker = new Revoker(store, issuer, trust, clock);
    this.clock = clock;
    this.operations = new CaOperations(store, trust, signer, revoker, policy, locks, clock);
    this.renewer = new Renewer(store, issuer, settings, trust, signer, locks, clock);
  }

  public Issuer issuer() {
    return issuer;
  }

  /** Registers a listener told about every change of the CA bundle or CRL chain. */
  public void addTrustListener(CrlListener l) {
    trust.addListener(l);
  }

  public List<X509Certificate> trustedCertificates() {
    return trust.certificates();
  }

  /**
   * True when a CRL of the chain lists {@code cert} (its issuer's CRL, this CA's or a parent's):
   * what TLS checks for every certificate of a client's chain, by hash lookup.
   */
  public boolean isRevoked(X509Certificate cert) {
    return trust.revoked(cert);
  }

  /** Drops duplicate (and, when asked, expired) entries from the CA's CRL; the count dropped. */
  public int pruneCrl(boolean removeExpired) {
    return revoker.prune(removeExpired);
  }

  /**
   * Issues an admin (pp_cli_auth) certificate for {@code name} and key, recorded in signed/ and the
   * inventory (offline {@code generate --ca-client}).
   */
  public X509Certificate issueCliClient(String name, java.security.PublicKey key) {
    NameRules.validateSubject(name, name);
    return signer.issue(name, org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(key.getEncoded()),
        org.voxca.pki.CertBuilder.serverAltNames(name, List.of(name)), false, List.of(), true, settings.caTtl());
  }

  /** Reads the CRL for appending before the first revocation needs it; called once, in the background. */
  public void prepareRevocations() {
    revoker.prepare();
  }

  /** Re-signs the CA's CRL when it expires within 30 days; called at start and daily. */
  public boolean refreshCrl() {
    return revoker.refreshIfExpiring(java.time.Duration.ofDays(30));
  }

  /** Picks up edits made to the CA bundle or CRL on disk; called periodically. */
  public boolean refreshTrust() {
    return trust.refreshIfChanged();
  }

  @Override
  public Optional<CertStatus> status(String name) {
    return operations.status(name);
  }

  @Override
  public void eachStatus(String state, String nameGlob, java.time.Instant expiringBefore,
      java.util.function.Consumer<CertStatus> sink) {
    operations.eachStatus(state, nameGlob, expiringBefore, sink);
  }

  @Override
  public void deleteFiles(String name) {
    operations.deleteFiles(name);
  }

  @Override
  public SignResult signMany(List<String> names) {
    return operations.signMany(names);
  }

  @Override
  public SignResult signAll() {
    return operations.signAll();
  }

  @Override
  public List<String> clean(List<String> names) {
    return operations.clean(names);
  }

  @Override
  public java.util.Map<String, java.util.Map<String, java.time.Instant>> expirations() {
    return operations.expirations();
  }

  @Override
  public Document caBundle() {
    return trust.bundle();
  }

  /** The CRL chain agents download: the infrastructure CRL when enable-infra-crl is on. */
  @Override
  public Document crl() {
    Document infra = settings.enableInfraCrl() ? trust.infraCrl() : null;
    return infra != null ? infra : trust.crl();
  }

  /** The full CRL chain, which TLS enforces whatever agents download. */
  public Document fullCrl() {
    return trust.crl();
  }

  /** With enable-infra-crl, creates infra_crl.pem when an adopted CA lacks it. */
  public void ensureInfraCrl() {
    if (settings.enableInfraCrl() && store.infraCrlChain().isEmpty()) {
      store.replaceInfraCrlChain(revoker.emptyChainLike(store.crlChain().bytes()));
      trust.reload();
      LOG.info("Created the infrastructure CRL (enable-infra-crl)");
    }
  }

  @Override
  public Optional<Document> certificate(String name) {
    NameRules.validateLookup(name);
    return store.certificate(name).map(DefaultCertificateAuthority::doc);
  }

  @Override
  public Optional<Document> csr(String name) {
    NameRules.validateLookup(name);
    return store.csr(name).map(DefaultCertificateAuthority::doc);
  }

  @Override
  public boolean deleteCsr(String name) {
    NameRules.validateLookup(name);
    ReentrantLock l = locks.of(name);
    l.lock();
    try {
      return store.deleteCsr(name);
    } finally {
      l.unlock();
    }
  }

  @Override
  public List<Document> pendingCsrs() {
    List<Document> out = new ArrayList<>();
    for (String name : store.csrNames()) {
      if (NameRules.pathSafe(name)) {
        store.csr(name).ifPresent(f -> out.add(doc(f)));
      }
    }
    return out;
  }

  @Override
  public boolean isRevoked(BigInteger serial) {
    return trust.revoked(serial);
  }

  @Override
  public SubmitResult submitCsr(String name, byte[] body) {
    Csr csr;
    try {
      csr = Csr.fromPem(new String(body, StandardCharsets.UTF_8));
    } catch (PkiException e) {
      throw new CaException(Reason.BAD_REQUEST, "Invalid certificate request: " + e.getMessage());
    }
    String cn = csr.commonName();
    ReentrantLock l = locks.of(name);
    l.lock();
    try {
      checkDuplicate(cn);
      return submitChecked(name, cn, csr, body);
    } finally {
      l.unlock();
    }
  }

  /** The rest of a submission, under the name's lock; a rule failure is logged as an ERROR. */
  private SubmitResult submitChecked(String name, String cn, Csr csr, byte[] body) {
    try {
      NameRules.validateSubject(name, cn);
      if (!csr.signatureValid()) {
        // voxca is stricter than Puppet: a CSR whose signature fails is never stored
        throw CaException.invalid(CsrPolicy.BAD_SIGNATURE);
      }
      store.saveCsr(name, csr.toPem().getBytes(StandardCharsets.US_ASCII));
      if (!autosign.shouldSign(name, body)) {
        LOG.info("Certificate request for {} is pending (not autosigned)", name);
        return SubmitResult.PENDING;
      }
      policy.check(csr);
      signer.signCsr(name, csr, signer.ttlFor(csr, null));
      store.deleteCsr(name);
      return SubmitResult.SIGNED;
    } catch (CaException e) {
      if (e.reason() == Reason.INVALID_CSR) {
        LOG.error("{}", e.getMessage());
      }
      throw e;
    }
  }

  @Override
  public void sign(String name, java.time.Duration ttl) {
    NameRules.validateLookup(name);
    ReentrantLock l = locks.of(name);
    l.lock();
    try {
      Optional<StoredFile> pending = store.csr(name);
      if (pending.isEmpty()) {
        requireKnown(name);
        throw new CaException(Reason.CONFLICT,
            "Cannot sign certificate for host " + name + " without a certificate request");
      }
      Csr csr;
      try {
        csr = Csr.fromPem(pending.get().text());
        NameRules.validateSubject(name, csr.commonName());
        policy.check(csr);
      } catch (PkiException e) {
        throw new CaException(Reason.CONFLICT, "The stored certificate request for " + name + " is unreadable: " + e.getMessage());
      } catch (CaException e) {
        throw new CaException(Reason.CONFLICT, e.getMessage());
      }
      signer.signCsr(name, csr, signer.ttlFor(csr, ttl));
      store.deleteCsr(name);
    } finally {
      l.unlock();
    }
  }

  @Override
  public void revoke(String name) {
    NameRules.validateLookup(name);
    ReentrantLock l = locks.of(name);
    l.lock();
    try {
      java.util.Set<BigInteger> serials = new java.util.LinkedHashSet<>(store.liveSerials(name, clock.instant()));
      store.certificateRecord(name).ifPresent(r -> serials.add(r.serial()));
      if (serials.isEmpty()) {
        requireKnown(name);
        throw new CaException(Reason.CONFLICT,
            "Cannot revoke certificate for host " + name + " without a signed certificate");
      }
      revoker.revoke(serials, store.infraNodes().contains(name) ? serials : java.util.Set.of());
    } finally {
      l.unlock();
    }
  }

  @Override
  public Document renew(X509Certificate presented) {
    return renewer.renew(presented);
  }

  @Override
  public void updateCrls(byte[] pem) {
    List<java.security.cert.X509CRL> crls;
    try {
      crls = Certificates.readCrls(new String(pem, StandardCharsets.UTF_8));
    } catch (PkiException e) {
      throw new CaException(Reason.BAD_REQUEST, "No valid CRLs submitted.");
    }
    revoker.updateUpstream(crls);
  }

  @Override
  public boolean isInfraNode(String certname) {
    return certname != null && store.infraNodes().contains(certname);
  }

  private void requireKnown(String name) {
    if (store.certificate(name).isEmpty() && store.csr(name).isEmpty()) {
      throw new CaException(Reason.NOT_FOUND, "Invalid certificate subject.");
    }
  }

  /** Puppet's duplicate policy (spec §4.4), keyed on the CSR's CN. */
  private void checkDuplicate(String cn) {
    if (!NameRules.pathSafe(cn)) {
      return; // cannot name a file; the name rules refuse it next
    }
    String state = null;
    Optional<org.voxca.store.CertificateRecord> cert = store.certificateRecord(cn);
    if (cert.isPresent()) {
      state = trust.revoked(cert.get().serial()) ? "revoked" : "signed";
    } else if (store.certificate(cn).isPresent()) {
      state = "signed"; // a file the index cannot read (or has not seen yet)
    } else if (store.csr(cn).isPresent()) {
      state = "requested";
    }
    if (state == null) {
      return;
    }
    if (!settings.allowDuplicateCerts()) {
      // A pending agent re-submits on every poll: routine, so INFO and not the ERROR of a rule failure.
      LOG.info("{} already has a {} certificate; ignoring certificate request", cn, state);
      throw CaException.invalid(cn + " already has a " + state + " certificate; ignoring certificate request");
    }
    LOG.info("{} already has a {} certificate; new certificate will overwrite it", cn, state);
  }

  private static Document doc(StoredFile f) {
    return new Document(f.bytes(), f.modified());
  }
}
