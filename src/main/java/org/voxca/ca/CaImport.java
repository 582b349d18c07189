package org.voxca.ca;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.voxca.pki.Certificates;
import org.voxca.pki.ChainValidator;
import org.voxca.pki.CrlBuilder;
import org.voxca.pki.Issuer;
import org.voxca.pki.Keys;
import org.voxca.pki.Pem;
import org.voxca.pki.PkiException;
import org.voxca.pki.PublicKeys;
import org.voxca.store.CaMaterial;
import org.voxca.store.CaStore;

/**
 * Adopts an external CA chain as the Puppet CA (spec §8.5, {@code puppetserver ca import}): the
 * key must match a certificate of the bundle (the signing CA, put first), the chain must verify,
 * and every CA needs a CRL (the signing CA's is created when missing). Writes the CA directory.
 */
public final class CaImport {
  private CaImport() {}

  public static Issuer run(CaStore store, String bundlePem, String keyPem, String crlPem, Clock clock) {
    if (!store.layout().empty()) {
      throw new CaBootstrap.StartupException("CA files already exist: " + String.join(", ", store.layout().found()));
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
        throw new CaBootstrap.StartupException("The private key does not match any certificate in the bundle");
      }
      if (signing.getBasicConstraints() < 0) {
        throw new CaBootstrap.StartupException("The certificate matching the key is not a CA certificate (basicConstraints CA:FALSE)");
      }
      bundle.remove(signing);
      bundle.add(0, signing);
      Issuer issuer = new Issuer(signing, keys.getPrivate(), bundle);
      List<X509CRL> crls = new ArrayList<>(Certificates.readCrls(crlPem));
      X509CRL own = ChainValidator.crlOf(signing, crls);
      Instant now = clock.instant();
      if (own == null) {
        own = CrlBuilder.build(issuer, now.minus(CaBootstrap.CRL_BACKDATE), now.plus(CaBootstrap.CRL_LIFETIME), BigInteger.ZERO, Map.of());
      } else {
        crls.remove(own);
      }
      crls.add(0, own);
      ChainValidator.validate(bundle, crls, Date.from(now));
      store.initializeCa(new CaMaterial(Pem.encode(bundle.toArray()), Pem.encode(keys.getPrivate()),
          Pem.encode(keys.getPublic()), Pem.encode(crls.toArray())), null, BigInteger.ONE);
      return issuer;
    } catch (PkiException e) {
      throw new CaBootstrap.StartupException("Cannot import the CA: " + e.getMessage());
    }
  }
}
