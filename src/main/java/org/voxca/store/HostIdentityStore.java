package org.voxca.store;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * The server's own TLS identity where puppet.conf puts it under the ssldir: host certificate,
 * private key, public key, and the copies of the CA bundle and CRL chain that TLS trusts.
 */
public interface HostIdentityStore {

  /** The host certificate and key, when both exist. */
  Optional<HostIdentity> load();

  /** True when the certificate exists but its private key does not (refused at start). */
  boolean certificateWithoutKey();

  /** Writes the key (owner-only before any byte), public key and certificate. */
  void save(HostIdentity identity);

  /** The server's second, ECDSA identity ({@code <certname>-ecdsa.pem}), when both files exist. */
  Optional<HostIdentity> loadEcdsa();

  /** Writes the ECDSA identity: key (owner-only before any byte) then certificate. */
  void saveEcdsa(HostIdentity identity);

  /** Refreshes {@code certs/ca.pem} and {@code crl.pem} when they differ from the CA's. */
  void updateTrust(byte[] caBundle, byte[] crlChain);

  /**
   * Moves aside (renamed with {@code suffix}) every host identity whose certificate {@code ca} did
   * not sign — left by an earlier CA, it would block the start — and says what it moved; the server
   * issues fresh ones on its next start.
   */
  List<String> setAsideForeign(X509Certificate ca, String suffix);

  /** Where the host certificate lives, for messages (a path, or a row's name). */
  String certificateLocation();

  /** Where the host private key lives, for messages. */
  String privateKeyLocation();

  /** PEM texts of the host identity. */
  record HostIdentity(String certificatePem, String privateKeyPem, String publicKeyPem) {}
}
