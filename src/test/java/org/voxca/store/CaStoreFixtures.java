package org.voxca.store;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.voxca.ca.CaSettings;
import org.voxca.pki.CertBuilder;
import org.voxca.pki.Issuer;

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
    return CertBuilder.leaf(
        ca,
        new CertBuilder.Leaf(
            name,
            SubjectPublicKeyInfo.getInstance(key.getPublic().getEncoded()),
            serial,
            Instant.now().minus(Duration.ofDays(1)),
            notAfter,
            new GeneralNames(new GeneralName(GeneralName.dNSName, name)),
            false,
            List.of(),
            false));
  }
}
