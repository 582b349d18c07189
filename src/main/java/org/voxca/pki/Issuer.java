package org.voxca.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * The CA that signs: its certificate (the one matching the key), its private key, and the whole
 * bundle as served to agents (signing CA first).
 */
public record Issuer(X509Certificate certificate, PrivateKey key, List<X509Certificate> bundle) {
  public Issuer {
    Objects.requireNonNull(certificate, "certificate == null");
    Objects.requireNonNull(key, "key == null");
    bundle = List.copyOf(bundle);
  }
}
