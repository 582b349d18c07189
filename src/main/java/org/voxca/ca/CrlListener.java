package org.voxca.ca;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Told whenever the CA bundle or CRL chain changes, so TLS trusts the new state at once (a new TLS
 * context also ends session resumption for revoked clients). Revocation itself is looked up live
 * ({@link ManagedCa#isRevoked(X509Certificate)}).
 */
@FunctionalInterface
public interface CrlListener {
  void trustChanged(List<X509Certificate> caBundle);
}
