package org.voxca.ca;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voxca.pki.Certificates;
import org.voxca.pki.CrlSummary;
import org.voxca.pki.Csr;
import org.voxca.pki.Names;
import org.voxca.pki.PkiException;
import org.voxca.store.CaStore;
import org.voxca.store.StoredFile;

/**
 * What the CA holds, read-only: a name's certificate, CSR and status, listings with their filters
 * (from the store's in-memory records), the pending CSRs, and the expirations of the CA
 * certificates and CRLs.
 */
final class Statuses {
  private static final Logger LOG = LoggerFactory.getLogger(Statuses.class);
  private static final Set<String> STATES =
      Set.of(CertStatus.REQUESTED, CertStatus.SIGNED, CertStatus.REVOKED);
  private final CaStore store;
  private final TrustState trust;
  private final Clock clock;

  Statuses(CaStore store, TrustState trust, Clock clock) {
    this.store = store;
    this.trust = trust;
    this.clock = clock;
  }

  /** Whether {@code certname} is listed in the infrastructure inventory. */
  boolean isInfraNode(String certname) {
    return certname != null && store.records().infraNodes().contains(certname);
  }

  Optional<Document> certificate(String name) {
    NameRules.validateLookup(name);
    return store.records().certificate(name).map(Statuses::doc);
  }

  Optional<Document> csr(String name) {
    NameRules.validateLookup(name);
    return store.records().csr(name).map(Statuses::doc);
  }

  List<Document> pendingCsrs() {
    List<Document> out = new ArrayList<>();
    for (String name : store.records().csrNames()) {
      if (NameRules.pathSafe(name)) {
        store.records().csr(name).ifPresent(f -> out.add(doc(f)));
      }
    }
    return out;
  }

  Optional<CertStatus> status(String name) {
    NameRules.validateLookup(name);
    Optional<CertStatus> cert =
        store
            .records()
            .certificateRecord(name)
            .map(r -> StatusView.of(r, trust.revoked(r.serial())));
    return cert.isPresent() ? cert : store.records().csr(name).flatMap(f -> csrStatus(name, f));
  }

  /**
   * Every CSR then every certificate, filtered by {@code state}, a name glob and certificates
   * expiring before an instant (CSRs never match that one); null means no filter.
   */
  void each(String state, String nameGlob, Instant expiringBefore, Consumer<CertStatus> sink) {
    Predicate<String> named = nameGlob == null ? n -> true : new Glob(nameGlob)::matches;
    boolean all = state == null || !STATES.contains(state);
    if (expiringBefore == null && (all || state.equals(CertStatus.REQUESTED))) {
      for (String n : store.records().csrNames()) {
        if (named.test(n)) {
          store.records().csr(n).flatMap(f -> csrStatus(n, f)).ifPresent(sink);
        }
      }
    }
    if (!all && state.equals(CertStatus.REQUESTED)) {
      return;
    }
    boolean wantRevoked = all || state.equals(CertStatus.REVOKED);
    boolean wantSigned = all || state.equals(CertStatus.SIGNED);
    store
        .records()
        .eachCertificate(
            named,
            r -> {
              boolean revoked = trust.revoked(r.serial());
              boolean expiring = expiringBefore == null || r.notAfter().isBefore(expiringBefore);
              if ((revoked ? wantRevoked : wantSigned) && expiring) {
                sink.accept(StatusView.of(r, revoked));
              }
            });
  }

  /**
   * One walk of the certificate records: counts by state, expired, expiring within {@code within}.
   */
  Census census(Duration within) {
    Instant now = clock.instant();
    Instant soon = now.plus(within);
    int[] counts = new int[4]; // signed, revoked, expired, expiring soon
    Instant[] earliest = {null};
    store
        .records()
        .eachCertificate(
            n -> true,
            r -> {
              if (trust.revoked(r.serial())) {
                counts[1]++;
                return;
              }
              counts[0]++;
              Instant end = r.notAfter();
              if (end.isBefore(now)) {
                counts[2]++;
              } else if (end.isBefore(soon)) {
                counts[3]++;
              }
              if (earliest[0] == null || end.isBefore(earliest[0])) {
                earliest[0] = end;
              }
            });
    return new Census(
        store.records().csrNames().size(), counts[0], counts[1], counts[2], counts[3], earliest[0]);
  }

  /** notAfter of every CA certificate and nextUpdate of every CRL, keyed by CN. */
  Map<String, Map<String, Instant>> expirations() {
    Map<String, Instant> certs = new LinkedHashMap<>();
    for (X509Certificate c : trust.certificates()) {
      certs.put(Certificates.commonName(c), c.getNotAfter().toInstant());
    }
    Map<String, Instant> crls = new LinkedHashMap<>();
    for (CrlSummary crl : trust.crlSummaries()) {
      crls.put(
          Names.commonName(crl.issuer()),
          crl.nextUpdate() == null ? Instant.MAX : crl.nextUpdate());
    }
    Map<String, Map<String, Instant>> out = new LinkedHashMap<>();
    out.put("ca-certs", certs);
    out.put("crls", crls);
    return out;
  }

  Optional<PendingNote> pendingNote(String name) {
    return store.enrolment().decision(name).map(PendingNote::decode);
  }

  private Optional<CertStatus> csrStatus(String name, StoredFile f) {
    try {
      String reason = pendingNote(name).map(PendingNote::reason).orElse(null);
      return Optional.of(StatusView.of(name, Csr.fromPem(f.text()), reason));
    } catch (PkiException e) {
      LOG.warn("Skipping unreadable CSR file for {}: {}", name, e.getMessage());
      return Optional.empty();
    }
  }

  private static Document doc(StoredFile f) {
    return new Document(f.bytes(), f.modified());
  }
}
