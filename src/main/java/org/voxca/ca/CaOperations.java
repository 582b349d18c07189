package org.voxca.ca;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voxca.pki.Certificates;
import org.voxca.pki.Csr;
import org.voxca.pki.Names;
import org.voxca.pki.PkiException;
import org.voxca.store.CaStore;
import org.voxca.store.StoredFile;

/** {@link Operations} over the store: what an operator sees and does (spec §2.5–§2.8, §2.10). */
final class CaOperations implements Operations {
  private static final Logger LOG = LoggerFactory.getLogger(CaOperations.class);
  private final CaStore store;
  private final TrustState trust;
  private final Signer signer;
  private final Revoker revoker;
  private final CsrPolicy policy;
  private final NameLocks locks;
  private final Clock clock;

  CaOperations(CaStore store, TrustState trust, Signer signer, Revoker revoker, CsrPolicy policy, NameLocks locks, Clock clock) {
    this.store = store;
    this.trust = trust;
    this.signer = signer;
    this.revoker = revoker;
    this.policy = policy;
    this.locks = locks;
    this.clock = clock;
  }

  @Override
  public Optional<CertStatus> status(String name) {
    NameRules.validateLookup(name);
    Optional<CertStatus> cert = store.certificateRecord(name).map(r -> StatusView.of(r, trust.revoked(r.serial())));
    return cert.isPresent() ? cert : store.csr(name).flatMap(f -> csrStatus(name, f));
  }

  @Override
  public void eachStatus(String state, String nameGlob, Instant expiringBefore, java.util.function.Consumer<CertStatus> sink) {
    java.util.function.Predicate<String> named = nameGlob == null ? n -> true : glob(nameGlob);
    each(state, named, expiringBefore != null, s -> {
      if (expiringBefore == null || (s.notAfter() != null && s.notAfter().isBefore(expiringBefore))) {
        sink.accept(s);
      }
    });
  }

  private static java.util.function.Predicate<String> glob(String glob) {
    StringBuilder re = new StringBuilder();
    for (char c : glob.toCharArray()) {
      re.append(c == '*' ? ".*" : c == '?' ? "." : java.util.regex.Pattern.quote(String.valueOf(c)));
    }
    java.util.regex.Pattern p = java.util.regex.Pattern.compile(re.toString());
    return n -> p.matcher(n).matches();
  }

  private void each(String state, java.util.function.Predicate<String> named, boolean certsOnly,
      java.util.function.Consumer<CertStatus> out) {
    boolean all = state == null || !Set.of(CertStatus.REQUESTED, CertStatus.SIGNED, CertStatus.REVOKED).contains(state);
    if (!certsOnly && (all || state.equals(CertStatus.REQUESTED))) {
      for (String n : store.csrNames()) {
        if (!named.test(n)) {
          continue;
        }
        store.csr(n).flatMap(f -> csrStatus(n, f)).ifPresent(out);
      }
    }
    if (all || !state.equals(CertStatus.REQUESTED)) {
      boolean wantRevoked = all || state.equals(CertStatus.REVOKED);
      boolean wantSigned = all || state.equals(CertStatus.SIGNED);
      store.eachCertificate(named, r -> {
        boolean revoked = trust.revoked(r.serial());
        if (revoked ? wantRevoked : wantSigned) {
          out.accept(StatusView.of(r, revoked));
        }
      });
    }
  }

  private static Optional<CertStatus> csrStatus(String name, StoredFile f) {
    try {
      return Optional.of(StatusView.of(name, Csr.fromPem(f.text())));
    } catch (PkiException e) {
      LOG.warn("Skipping unreadable CSR file for {}: {}", name, e.getMessage());
      return Optional.empty();
    }
  }

  @Override
  public void deleteFiles(String name) {
    NameRules.validateLookup(name);
    ReentrantLock l = locks.of(name);
    l.lock();
    try {
      boolean known = store.certificate(name).isPresent() || store.csr(name).isPresent()
          || !store.liveSerials(name, Instant.MIN).isEmpty();
      if (!known) {
        throw new CaException(Reason.NOT_FOUND, "Resource not found.");
      }
      store.deleteCertificate(name);
      store.deleteCsr(name);
      LOG.info("Deleted the certificate and CSR files of {}", name);
    } finally {
      l.unlock();
    }
  }

  @Override
  public SignResult signMany(List<String> names) {
    List<String> signed = new ArrayList<>();
    List<String> noCsr = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (String name : names) {
      if (!NameRules.pathSafe(name)) {
        errors.add(name);
        continue;
      }
      ReentrantLock l = locks.of(name);
      l.lock();
      try {
        Optional<StoredFile> f = store.csr(name);
        if (f.isEmpty()) {
          noCsr.add(name);
          continue;
        }
        Csr csr = Csr.fromPem(f.get().text());
        policy.check(csr);
        signer.signCsr(name, csr, signer.ttlFor(csr, null));
        store.deleteCsr(name);
        signed.add(name);
      } catch (CaException | PkiException e) {
        LOG.error("Could not sign {}: {}", name, e.getMessage());
        errors.add(name);
      } finally {
        l.unlock();
      }
    }
    return new SignResult(signed, noCsr, errors);
  }

  @Override
  public SignResult signAll() {
    return signMany(store.csrNames());
  }

  @Override
  public List<String> clean(List<String> names) {
    List<String> unique = new ArrayList<>(new LinkedHashSet<>(names));
    unique.forEach(NameRules::validateLookup);
    Instant now = clock.instant();
    Set<BigInteger> serials = new LinkedHashSet<>();
    Set<BigInteger> infraSerials = new LinkedHashSet<>();
    Set<String> infraNodes = store.infraNodes();
    List<String> existing = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (String name : unique) {
      Set<BigInteger> s = new LinkedHashSet<>(store.liveSerials(name, now));
      store.certificateRecord(name).ifPresent(r -> s.add(r.serial()));
      if (s.isEmpty() && store.certificate(name).isEmpty()) {
        missing.add(name);
      } else {
        existing.add(name);
        serials.addAll(s);
        if (infraNodes.contains(name)) {
          infraSerials.addAll(s);
        }
      }
    }
    if (!serials.isEmpty()) {
      revoker.revoke(serials, infraSerials);
    }
    for (String name : existing) {
      store.deleteCertificate(name);
    }
    LOG.info("Cleaned {}", existing);
    return missing;
  }

  @Override
  public Map<String, Map<String, Instant>> expirations() {
    Map<String, Instant> certs = new LinkedHashMap<>();
    for (X509Certificate c : trust.certificates()) {
      certs.put(Certificates.commonName(c), c.getNotAfter().toInstant());
    }
    Map<String, Instant> crls = new LinkedHashMap<>();
    for (org.voxca.pki.CrlSummary crl : trust.crlSummaries()) {
      crls.put(Names.commonName(crl.issuer()), crl.nextUpdate() == null ? Instant.MAX : crl.nextUpdate());
    }
    Map<String, Map<String, Instant>> out = new LinkedHashMap<>();
    out.put("ca-certs", certs);
    out.put("crls", crls);
    return out;
  }
}
