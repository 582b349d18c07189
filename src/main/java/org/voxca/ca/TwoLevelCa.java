package org.voxca.ca;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voxca.pki.CertBuilder;
import org.voxca.pki.CrlBuilder;
import org.voxca.pki.Issuer;
import org.voxca.pki.Pem;
import org.voxca.store.CaMaterial;
import org.voxca.store.CaStore;

/**
 * A two-level CA, as the newest {@code puppetserver ca setup} makes: a self-signed root ("Puppet
 * Root CA: <random>", its key kept in {@code root_key.pem}, 0640) signs the intermediate "Puppet
 * CA: <certname>" that signs agents. The bundle holds both (intermediate first), the CRL chain both
 * CRLs.
 */
final class TwoLevelCa {
  private static final Logger LOG = LoggerFactory.getLogger(TwoLevelCa.class);

  private TwoLevelCa() {}

  /** A root name like Puppet's: {@code Puppet Root CA: } and 14 random hex digits. */
  static String defaultRootName() {
    byte[] b = new byte[7];
    new SecureRandom().nextBytes(b);
    return "Puppet Root CA: " + HexFormat.of().formatHex(b);
  }

  static Issuer create(CaStore store, CaSettings s, String rootName, Clock clock) {
    LOG.info(
        "Generating a two-level CA: root '{}' and intermediate '{}', {} keys",
        rootName,
        s.caName(),
        s.keyDescription());
    Instant now = clock.instant();
    Instant notBefore = now.minus(Duration.ofDays(1));
    Instant notAfter = now.plus(s.caTtl());
    KeyPair rootKeys = s.newCaKey("root");
    X509Certificate root =
        CertBuilder.selfSignedCa(rootName, rootKeys, BigInteger.ONE, notBefore, notAfter);
    Issuer rootIssuer = new Issuer(root, rootKeys.getPrivate(), List.of(root));
    KeyPair keys = s.newCaKey("ca");
    X509Certificate ca =
        CertBuilder.intermediateCa(
            rootIssuer, s.caName(), keys, BigInteger.TWO, notBefore, notAfter);
    Issuer issuer = new Issuer(ca, keys.getPrivate(), List.of(ca, root));
    CrlPolicy policy = new CrlPolicy(s.crlTtl());
    X509CRL crl = emptyCrl(issuer, policy, now);
    X509CRL rootCrl = emptyCrl(rootIssuer, policy, now);
    store.documents().saveRootKey(s.keys().keep("root", rootKeys, root));
    store
        .documents()
        .initializeCa(
            new CaMaterial(
                Pem.encode(ca, root),
                s.keys().keep("ca", keys, ca),
                Pem.encode(keys.getPublic()),
                Pem.encode(crl, rootCrl)),
            ca,
            BigInteger.valueOf(3));
    return issuer;
  }

  private static X509CRL emptyCrl(Issuer issuer, CrlPolicy policy, Instant now) {
    return CrlBuilder.build(
        issuer, policy.thisUpdate(now), policy.nextUpdate(now), BigInteger.ZERO, Map.of());
  }
}
