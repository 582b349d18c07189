package org.voxca.ca;

import java.math.BigInteger;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import org.voxca.pki.Issuer;

/**
 * The CA as the process hosting it sees it (the server, or an offline CLI verb): the API plus what
 * TLS needs (the trusted bundle, revocation by lookup, change notices) and the maintenance the host
 * schedules.
 */
public interface ManagedCa extends CertificateAuthority {

  Issuer issuer();

  /** The CA bundle's certificates, signing CA first: what TLS trusts. */
  List<X509Certificate> trustedCertificates();

  /**
   * True when a CRL of the chain lists {@code cert} (its issuer's CRL, this CA's or a parent's):
   * what TLS checks for every certificate of a client's chain, by lookup.
   */
  boolean isRevoked(X509Certificate cert);

  /**
   * Certificates by state and how many expire within {@code soon}, in one walk of the in-memory
   * records (waits for the first index scan).
   */
  Census census(java.time.Duration soon);

  /**
   * Ends an active rollover with every server stopped: the next generation becomes the CA's only
   * one (key, certificate, CRL), the current one retired. 409 while certificates of the current
   * generation are still valid, naming them, unless {@code force}. This object is not used after:
   * the caller adopts the CA anew and re-issues the server's own certificate.
   */
  RolloverStatus finishRollover(boolean force);

  /** Registers a listener told about every change the CA makes (audit log, metrics). */
  void addEventListener(CaEvent.Listener listener);

  /** The CA's upkeep: what the server runs on a schedule and the offline verbs run once. */
  CaUpkeep upkeep();

  /** Registers a listener told about every change of the CA bundle or CRL chain. */
  void addTrustListener(CrlListener listener);

  /** The full CRL chain, which TLS enforces whatever agents download. */
  Document fullCrl();

  /**
   * Every serial this CA issued to {@code name} (the inventory's, and the current certificate's).
   */
  Set<BigInteger> serialsOf(String name);

  /**
   * Issues an admin (pp_cli_auth) certificate for {@code name} and key, recorded in signed/ and the
   * inventory (offline {@code generate --ca-client}).
   */
  X509Certificate issueCliClient(String name, PublicKey key);
}
