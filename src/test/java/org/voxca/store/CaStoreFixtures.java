package org.voxca.store;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import org.voxca.ca.CaSettings;
import org.voxca.pki.Issuer;
import org.voxca.testing.TestPki;

/** What the store contract builds its records from: an EC CA's settings, agent certificates. */
final class CaStoreFixtures {
  private CaStoreFixtures() {}

  /** Puppet's defaults for {@code certname}, with an EC P-256 CA key. */
  static CaSettings ecSettings(String certname) {
    return CaSettings.forCertname(certname).ecCurve("secp256r1").build();
  }

  /** An agent certificate for {@code name}, valid from a day ago until {@code notAfter}. */
  static X509Certificate leaf(
      Issuer ca, String name, KeyPair key, BigInteger serial, Instant notAfter) {
    return TestPki.issue(ca, name, key, serial, false, notAfter);
  }
}
