package org.voxca.ca;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;

/**
 * The Puppet CA's operations, as the HTTP layer and the CLI see them. Every name is checked
 * against Puppet's naming rules here; a refusal is a {@link CaException} with Puppet's wording.
 */
public interface CertificateAuthority extends Operations {

  /** The CA certificate bundle, byte for byte as stored. */
  Document caBundle();

  /** The CRL chain, byte for byte as stored. */
  Document crl();

  /** The signed certificate for {@code name}, if any. */
  Optional<Document> certificate(String name);

  /** The pending CSR for {@code name}, if any. */
  Optional<Document> csr(String name);

  /** Submits a CSR for {@code name}; signs it at once when autosign says so. */
  SubmitResult submitCsr(String name, byte[] body);

  /** Deletes the pending CSR for {@code name}; false when there was none. */
  boolean deleteCsr(String name);

  /** Every pending CSR, PEM, in name order. */
  List<Document> pendingCsrs();

  /**
   * Signs the pending CSR of {@code name} (certificate_status PUT "signed"): 404 when the name is
   * unknown, 409 without a CSR or when the CSR breaks a rule. {@code ttl} may be null (ca-ttl).
   */
  void sign(String name, java.time.Duration ttl);

  /** Revokes every certificate of {@code name}: 404 when unknown, 409 without a certificate. */
  void revoke(String name);

  /**
   * Renews the certificate an agent presented (spec §2.9): 404 when auto-renewal is off, 400
   * without a usable certificate (none, revoked, expired, superseded by another key), 403 when
   * this CA did not issue it. Returns the new certificate as PEM.
   */
  Document renew(java.security.cert.X509Certificate presented);

  /** True when {@code certname} is listed in infra_inventory.txt (may forward renewals). */
  boolean isInfraNode(String certname);

  /** Updates the parent CAs' CRLs from a PEM body of CRLs (PUT certificate_revocation_list). */
  void updateCrls(byte[] pem);

  /** True when {@code serial} is on this CA's own CRL. */
  boolean isRevoked(BigInteger serial);

  /** Outcome of a CSR submission. */
  enum SubmitResult {
    PENDING,
    SIGNED
  }
}
