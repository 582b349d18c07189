package org.voxca.ca;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voxca.pki.CertBuilder;
import org.voxca.pki.Certificates;
import org.voxca.pki.CrlBuilder;
import org.voxca.pki.Issuer;
import org.voxca.pki.Keys;
import org.voxca.pki.Pem;
import org.voxca.pki.PkiException;
import org.voxca.pki.PublicKeys;
import org.voxca.store.CaMaterial;
import org.voxca.store.CaStore;
import org.voxca.store.HostIdentityStore;
import org.voxca.store.HostIdentityStore.HostIdentity;

/**
 * Start-up of a CA (spec §9): creates a fresh CA in an empty directory, adopts a complete one
 * (Puppet Server's or voxca's) as it is, refuses a partial one, and makes sure the server has
 * its own host certificate.
 */
public final class CaBootstrap {
  private static final Logger LOG = LoggerFactory.getLogger(CaBootstrap.class);
  /** Puppet Server's fixed CRL lifetime: five years. */
  public static final Duration CRL_LIFETIME = Duration.ofDays(5 * 365);
  /** voxca backdates CRL thisUpdate so agents with slow clocks accept it. */
  public static final Duration CRL_BACKDATE = Duration.ofMinutes(5);

  private CaBootstrap() {}

  /** Thrown when the CA directory cannot be used; the message is for the operator. */
  public static final class StartupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StartupException(String message) {
      super(message);
    }
  }

  /** Creates or adopts the CA and returns the signing issuer. */
  public static Issuer initializeOrAdopt(CaStore store, CaSettings settings, Clock clock) {
    CaStore.Layout layout = store.layout();
    if (layout.empty()) {
      return create(store, settings, clock);
    }
    if (!layout.complete()) {
      throw new StartupException("Cannot initialize CA with partial state; need all files or none.\n"
          + "Found:\n" + String.join("\n", layout.found()) + "\nMissing:\n" + String.join("\n", layout.missing()));
    }
    return adopt(store.readCa());
  }

  private static Issuer create(CaStore store, CaSettings s, Clock clock) {
    LOG.info("Generating a new CA '{}' with a {}-bit RSA key", s.caName(), s.keyLength());
    Instant now = clock.instant();
    KeyPair keys = Keys.rsa(s.keyLength());
    X509Certificate ca = CertBuilder.selfSignedCa(
        s.caName(), keys, BigInteger.ONE, now.minus(Duration.ofDays(1)), now.plus(s.caTtl()));
    Issuer issuer = new Issuer(ca, keys.getPrivate(), List.of(ca));
    X509CRL crl = CrlBuilder.build(issuer, now.minus(CRL_BACKDATE), now.plus(CRL_LIFETIME), BigInteger.ZERO, Map.of());
    store.initializeCa(
        new CaMaterial(Pem.encode(ca), Pem.encode(keys.getPrivate()), Pem.encode(keys.getPublic()), Pem.encode(crl)),
        ca, BigInteger.TWO);
    return issuer;
  }

  /** Reads an existing CA: the signing certificate is the one in the bundle matching the key. */
  static Issuer adopt(CaMaterial m) {
    try {
      KeyPair keys = Keys.readKeyPair(m.privateKeyPem());
      List<X509Certificate> bundle = Certificates.readCertificates(m.certBundlePem());
      for (X509Certificate c : bundle) {
        if (PublicKeys.same(c.getPublicKey(), keys.getPublic())) {
          org.voxca.pki.CrlSummary.headersOfChain(m.crlChainPem().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
          return new Issuer(c, keys.getPrivate(), bundle);
        }
      }
      throw new StartupException("The CA private key does not match any certificate in the CA bundle");
    } catch (PkiException e) {
      throw new StartupException("Cannot read the CA directory: " + e.getMessage());
    }
  }

  /**
   * Makes sure the server has its own certificate (spec §9.2): reuses an existing key, issues a
   * certificate with pp_cli_auth and the server's alt names when none exists.
   */
  public static HostIdentity ensureHostIdentity(
      HostIdentityStore host, CaStore store, Issuer issuer, CaSettings s, Clock clock, String certPath, String keyPath) {
    if (host.certificateWithoutKey()) {
      throw new StartupException("Found master cert '" + certPath + "' but master private key '" + keyPath + "' is missing");
    }
    var existing = host.load();
    if (existing.isPresent()) {
      X509Certificate cert = Certificates.readCertificates(existing.get().certificatePem()).get(0);
      try {
        cert.verify(issuer.certificate().getPublicKey());
      } catch (Exception e) {
        throw new StartupException("The host certificate " + certPath
            + " was not issued by this CA; move it aside so voxca issues a new one");
      }
      return existing.get();
    }
    LOG.info("Issuing the server's own certificate for {}", s.certname());
    KeyPair keys = Keys.rsa(s.keyLength());
    Signer signer = new Signer(store, issuer, s, clock);
    X509Certificate cert = signer.issue(s.certname(), SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded()),
        CertBuilder.serverAltNames(s.certname(), s.dnsAltNames()), false, List.of(), true, s.caTtl());
    HostIdentity id = new HostIdentity(Pem.encode(cert), Pem.encode(keys.getPrivate()), Pem.encode(keys.getPublic()));
    host.save(id);
    return id;
  }
}
