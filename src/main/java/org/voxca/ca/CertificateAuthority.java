package org.voxca.ca;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.voxca.ca.autosign.AutosignDecision;
import org.voxca.ca.autosign.EnrolmentTokens;
import org.voxca.pki.Csr;

/**
 * The Puppet CA's operations, as the HTTP API serves them: the agents' side (bundle, CRL, CSR,
 * certificate, renewal) and the operator's (status, listing, signing, revocation, clean). Every
 * name is checked against Puppet's naming rules here; a refusal is a {@link CaException} with
 * Puppet's wording.
 */
public interface CertificateAuthority {

  /** voxca's enrolment tokens: create, list, revoke. */
  EnrolmentTokens tokens();

  /**
   * What autosigning would decide now for a CSR submitted under its own CN, taking no token use and
   * storing nothing (a policy executable does run). An unreadable CSR is a 400.
   */
  AutosignDecision autosignCheck(byte[] csrPem);

  /** The CA certificate bundle, byte for byte as stored. */
  Document caBundle();

  /** The CRL chain agents download (the infrastructure CRL when enable-infra-crl is on). */
  Document crl();

  /** The signed certificate for {@code name}, if any. */
  Optional<Document> certificate(String name);

  /** The pending CSR for {@code name}, if any. */
  Optional<Document> csr(String name);

  /** Submits a CSR for {@code name}; signs it at once when autosign says so. */
  SubmitResult submitCsr(String name, byte[] body);

  /** Deletes the pending CSR for {@code name}; false when there was none. */
  boolean deleteCsr(String name);

  /** Why the pending CSR of {@code name} was not autosigned, and who sent it, when recorded. */
  Optional<PendingNote> pendingNote(String name);

  /**
   * The server's own name (its certname or one of its {@code dns_alt_names}) that a CSR for {@code
   * name} claims, as its name or an alt name; null when it claims none.
   */
  String claimedServerName(String name, Csr csr);

  /**
   * Records in the audit trail what happened to an operator console session of {@code admin}
   * ({@code opened by link}, {@code closed}, ...), by the current actor.
   */
  void consoleSession(String admin, String outcome);

  /** Every pending CSR, PEM, in name order. */
  List<Document> pendingCsrs();

  /**
   * Signs the pending CSR of {@code name} (certificate_status PUT "signed"): 404 when the name is
   * unknown, 409 without a CSR or when the CSR breaks a rule. {@code ttl} may be null (ca-ttl).
   */
  void sign(String name, Duration ttl);

  /** Signs the named pending CSRs (bulk {@code sign}); unsignable ones are reported, not fatal. */
  SignResult signMany(List<String> names);

  /** Signs every pending CSR. */
  SignResult signAll();

  /** Revokes every certificate of {@code name}: 404 when unknown, 409 without a certificate. */
  void revoke(String name);

  /**
   * Revokes and deletes the certificates of {@code names}; returns the names that did not exist.
   */
  List<String> clean(List<String> names);

  /** Deletes the signed certificate and CSR files of a name (no revocation); 404 when unknown. */
  void deleteFiles(String name);

  /**
   * Renews the certificate an agent presented: 404 when auto-renewal is off, 400 without a usable
   * certificate (none, revoked, expired, superseded by another key), 403 when this CA did not issue
   * it. Returns the new certificate as PEM.
   */
  Document renew(X509Certificate presented);

  /** The status of a name: its certificate when signed, else its pending CSR. */
  Optional<CertStatus> status(String name);

  /**
   * Every CSR then every certificate, handed over as read, filtered by {@code state}
   * (requested|signed|revoked), a name glob ({@code *}, {@code ?}) and certificates expiring before
   * an instant (CSRs never match that filter); null means no filter.
   */
  void eachStatus(String state, String nameGlob, Instant expiringBefore, Consumer<CertStatus> sink);

  /** notAfter of every CA certificate and nextUpdate of every CRL, keyed by CN. */
  Map<String, Map<String, Instant>> expirations();

  /**
   * Extends the CA certificate — or with {@code root} a two-level CA's root — to {@code ttl} from
   * now (same key, subject, serial and extensions): the bundle is replaced, served and trusted at
   * once. 409 for a CA signed by another whose key voxca lacks; 400 for less than a day, or for an
   * earlier notAfter than the certificate has unless {@code force}.
   */
  X509Certificate extendCaCertificate(Duration ttl, boolean root, boolean force);

  /**
   * Notes that the agent {@code certname} (from its verified certificate) fetched the CA bundle
   * ({@code bundle}) or the CRL chain: during a rollover, how many agents hold the next CA.
   */
  void noteFetch(String certname, boolean bundle);

  /** Where a CA key rollover stands (stage, generations, what the bundle holds). */
  RolloverStatus rolloverStatus();

  /**
   * Prepares a rollover: a new key and CA certificate ({@code plan}), cross-certified with the
   * current one, published in the CA bundle and CRL chain beside it; the current key keeps signing.
   * 409 while a rollover is under way or for a CA under a parent; 400 for a bad plan.
   */
  RolloverStatus prepareRollover(RolloverPlan plan);

  /**
   * Makes the prepared next key sign every new certificate and renewal; the current generation
   * stays trusted and revocable. 409 unless a rollover is prepared.
   */
  RolloverStatus activateRollover();

  /**
   * Steps a rollover back: from active to prepared (the current key signs again), from prepared to
   * none (the next generation leaves the bundle and CRL chain); 409 when none is under way.
   */
  RolloverStatus abortRollover();

  /** The DER of the OCSP response (RFC 6960) to a DER request; malformedRequest when unreadable. */
  /**
   * Throws the refusal a renewal of {@code presented} gets when verification did not accept it: 403
   * when this CA did not sign it, 400 when it is expired, not yet valid or revoked. Never signs.
   */
  void refuseRenewal(X509Certificate presented);

  OcspReply ocsp(byte[] request);

  /** Updates the parent CAs' CRLs from a PEM body of CRLs (PUT certificate_revocation_list). */
  void updateCrls(byte[] pem);

  /** True when {@code certname} is listed in infra_inventory.txt (may forward renewals). */
  boolean isInfraNode(String certname);

  /**
   * True when this CA vouches for {@code cert} now: it signed it, the certificate is within its
   * validity and not revoked (how a certificate in {@code X-Client-Cert} is checked).
   */
  boolean recognizes(X509Certificate cert);

  /** True when {@code serial} is on this CA's own CRL. */
  boolean isRevoked(BigInteger serial);

  /** Outcome of a CSR submission. */
  enum SubmitResult {
    PENDING,
    SIGNED
  }
}
