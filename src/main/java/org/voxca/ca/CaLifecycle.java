package org.voxca.ca;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voxca.pki.CertBuilder;
import org.voxca.pki.Certificates;
import org.voxca.pki.ChainValidator;
import org.voxca.pki.CrlBuilder;
import org.voxca.pki.CrlSummary;
import org.voxca.pki.Issuer;
import org.voxca.pki.Keys;
import org.voxca.pki.Pem;
import org.voxca.pki.PkiException;
import org.voxca.pki.PublicKeys;
import org.voxca.store.CaMaterial;
import org.voxca.store.CaStore;
import org.voxca.store.HostIdentityStore;
import org.voxca.store.HostIdentityStore.HostIdentity;
import org.voxca.store.Layout;

/**
 * The CA's own life: a fresh CA in an empty directory, a complete one (Puppet Server's or voxca's)
 * adopted as it is, a partial one refused, an external chain imported, and the server's own host
 * certificate. Every refusal is a {@link StartupException}.
 */
public final class CaLifecycle {
  private static final Logger LOG = LoggerFactory.getLogger(CaLifecycle.class);

  private CaLifecycle() {}

  /** Creates or adopts the CA and returns the signing issuer. */
  public static Issuer initializeOrAdopt(CaStore store, CaSettings settings, Clock clock) {
    return initializeOrAdopt(store, settings, clock, null);
  }

  /**
   * As {@link #initializeOrAdopt(CaStore, CaSettings, Clock)}; a new CA is two-level (a root named
   * {@code rootCaName} signs it) when that name is not null.
   */
  public static Issuer initializeOrAdopt(
      CaStore store, CaSettings settings, Clock clock, String rootCaName) {
    Layout layout = store.documents().layout();
    if (layout.empty()) {
      return rootCaName == null
          ? create(store, settings, clock)
          : TwoLevelCa.create(store, settings, rootCaName, clock);
    }
    if (!layout.complete()) {
      throw new StartupException(
          "Cannot initialize CA with partial state; need all files or none.\nFound:\n"
              + String.join("\n", layout.found())
              + "\nMissing:\n"
              + String.join("\n", layout.missing()));
    }
    RolloverFinish.completeIfInterrupted(store);
    return adopt(store.documents().readCa(), settings.keys());
  }

  private static Issuer create(CaStore store, CaSettings s, Clock clock) {
    LOG.info("Generating a new CA '{}' with an {} key", s.caName(), s.keyDescription());
    Instant now = clock.instant();
    KeyPair keys = s.newCaKey("ca");
    X509Certificate ca =
        CertBuilder.selfSignedCa(
            s.caName(), keys, BigInteger.ONE, now.minus(Duration.ofDays(1)), now.plus(s.caTtl()));
    Issuer issuer = new Issuer(ca, keys.getPrivate(), List.of(ca));
    store
        .documents()
        .initializeCa(
            new CaMaterial(
                Pem.encode(ca),
                s.keys().keep("ca", keys, ca),
                Pem.encode(keys.getPublic()),
                Pem.encode(emptyCrl(issuer, new CrlPolicy(s.crlTtl()), now))),
            ca,
            BigInteger.TWO);
    return issuer;
  }

  /** Reads an existing CA: the signing certificate is the one in the bundle matching the key. */
  private static Issuer adopt(CaMaterial m, CaKeys custody) {
    try {
      KeyPair keys = custody.open("ca", m.privateKeyPem());
      List<X509Certificate> bundle = Certificates.readCertificates(m.certBundlePem());
      for (X509Certificate c : bundle) {
        if (PublicKeys.same(c.getPublicKey(), keys.getPublic())) {
          CrlSummary.headersOfChain(m.crlChainPem().getBytes(StandardCharsets.US_ASCII));
          return new Issuer(c, keys.getPrivate(), bundle);
        }
      }
      throw new StartupException(
          "The CA private key does not match any certificate in the CA bundle");
    } catch (PkiException e) {
      throw new StartupException("Cannot read the CA directory: " + e.getMessage());
    }
  }

  /** A root name like Puppet's ({@code Puppet Root CA: <random hex>}). */
  public static String defaultRootCaName() {
    return TwoLevelCa.defaultRootName();
  }

  /**
   * Adopts an external CA chain ({@code puppetserver ca import}): the key must match a certificate
   * of the bundle (the signing CA, put first), the chain must verify, and every CA needs a CRL (the
   * signing CA's is created when missing). Writes the CA directory, which must be empty.
   */
  public static Issuer importCa(
      CaStore store,
      String bundlePem,
      String keyPem,
      String crlPem,
      CaSettings settings,
      Clock clock) {
    if (!store.documents().layout().empty()) {
      throw new StartupException(
          "CA files already exist: " + String.join(", ", store.documents().layout().found()));
    }
    try {
      KeyPair keys = Keys.readKeyPair(keyPem);
      List<X509Certificate> bundle = new ArrayList<>(Certificates.readCertificates(bundlePem));
      X509Certificate signing = null;
      for (X509Certificate c : bundle) {
        if (PublicKeys.same(c.getPublicKey(), keys.getPublic())) {
          signing = c;
        }
      }
      if (signing == null) {
        throw new StartupException("The private key does not match any certificate in the bundle");
      }
      if (signing.getBasicConstraints() < 0) {
        throw new StartupException(
            "The certificate matching the key is not a CA certificate (basicConstraints CA:FALSE)");
      }
      bundle.remove(signing);
      bundle.add(0, signing);
      Issuer issuer = new Issuer(signing, keys.getPrivate(), bundle);
      List<X509CRL> crls = new ArrayList<>(Certificates.readCrls(crlPem));
      X509CRL own = ChainValidator.crlOf(signing, crls);
      Instant now = clock.instant();
      if (own == null) {
        own = emptyCrl(issuer, new CrlPolicy(settings.crlTtl()), now);
      } else {
        crls.remove(own);
      }
      crls.add(0, own);
      ChainValidator.validate(bundle, crls, Date.from(now));
      String kept = settings.keys().keep("ca", keys, signing);
      store
          .documents()
          .initializeCa(
              new CaMaterial(
                  Pem.encode(bundle.toArray()),
                  kept,
                  Pem.encode(keys.getPublic()),
                  Pem.encode(crls.toArray())),
              null,
              BigInteger.ONE);
      return new Issuer(signing, settings.keys().open("ca", kept).getPrivate(), bundle);
    } catch (PkiException e) {
      throw new StartupException("Cannot import the CA: " + e.getMessage());
    }
  }

  /**
   * Makes sure the server has its own certificate: reuses an existing key, issues a certificate
   * with pp_cli_auth and the server's alt names when none exists.
   */
  public static HostIdentity ensureHostIdentity(
      HostIdentityStore host, CaStore store, Issuer issuer, CaSettings s, Clock clock) {
    FinishedHost.complete(host, store, issuer, s, clock);
    if (host.certificateWithoutKey()) {
      throw new StartupException(
          "Found master cert '"
              + host.certificateLocation()
              + "' but master private key '"
              + host.privateKeyLocation()
              + "' is missing");
    }
    var existing = host.load();
    if (existing.isPresent()) {
      X509Certificate cert = Certificates.readCertificates(existing.get().certificatePem()).get(0);
      try {
        cert.verify(issuer.certificate().getPublicKey());
      } catch (GeneralSecurityException | RuntimeException e) {
        throw new StartupException(
            "The host certificate "
                + host.certificateLocation()
                + " was not issued by this CA; move it aside so voxca issues a new one");
      }
      return existing.get();
    }
    LOG.info("Issuing the server's own certificate for {}", s.certname());
    KeyPair keys = s.newKey();
    X509Certificate cert =
        new Issuance(store, () -> issuer, s, clock).server(keys.getPublic(), true);
    HostIdentity id =
        new HostIdentity(
            Pem.encode(cert), Pem.encode(keys.getPrivate()), Pem.encode(keys.getPublic()));
    host.save(id);
    return id;
  }

  /**
   * The server's second TLS identity, an ECDSA P-256 certificate with the same names and
   * extensions, issued by this CA (recorded in the inventory): clients that accept ECDSA get a
   * handshake that costs no RSA signature. Reissued when missing, expired or not from this CA.
   */
  public static HostIdentity ensureEcdsaHostIdentity(
      HostIdentityStore host, CaStore store, Issuer issuer, CaSettings s, Clock clock) {
    var existing = host.loadEcdsa();
    if (existing.isPresent()) {
      try {
        X509Certificate cert =
            Certificates.readCertificates(existing.get().certificatePem()).get(0);
        cert.verify(issuer.certificate().getPublicKey());
        cert.checkValidity(Date.from(clock.instant()));
        return existing.get();
      } catch (GeneralSecurityException | RuntimeException e) {
        LOG.warn("Replacing the server's ECDSA certificate: {}", e.getMessage());
      }
    }
    LOG.info("Issuing the server's ECDSA certificate for {}", s.certname());
    KeyPair keys = Keys.ec("secp256r1");
    X509Certificate cert =
        new Issuance(store, () -> issuer, s, clock).server(keys.getPublic(), false);
    HostIdentity id =
        new HostIdentity(
            Pem.encode(cert), Pem.encode(keys.getPrivate()), Pem.encode(keys.getPublic()));
    host.saveEcdsa(id);
    return id;
  }

  private static X509CRL emptyCrl(Issuer issuer, CrlPolicy policy, Instant now) {
    return CrlBuilder.build(
        issuer, policy.thisUpdate(now), policy.nextUpdate(now), BigInteger.ZERO, Map.of());
  }
}
