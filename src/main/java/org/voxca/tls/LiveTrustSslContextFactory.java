package org.voxca.tls;

import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CRL;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voxca.ca.CrlListener;
import org.voxca.pki.ChainValidator;

/**
 * Jetty's server TLS context with voxca's trust: the server's host certificate as identity, the CA
 * bundle as trust anchors, client certificates wanted but not required, and every certificate of a
 * client's chain looked up in the CRL chain's revoked serials (live, so a revocation holds from the
 * next handshake). Only a change of the CA bundle rebuilds the SSL context ({@code reload}); a CRL
 * change does not, so TLS sessions survive revocations: a resumed handshake skips the trust
 * manager, and every request checks its client's serial against the CRL instead (a revoked client
 * is refused on each request of a resumed session or an old keep-alive connection).
 */
public final class LiveTrustSslContextFactory extends SslContextFactory.Server
    implements CrlListener {
  private static final Logger LOG = LoggerFactory.getLogger(LiveTrustSslContextFactory.class);
  private static final char[] PASSWORD = "voxca-in-memory".toCharArray();
  private final Predicate<X509Certificate> revoked;
  private volatile List<X509Certificate> trusted;

  /**
   * @param hostKeys the server's certificates and their keys (RSA, and ECDSA beside it): the
   *     handshake uses the first whose key type the client's signature algorithms allow
   */
  public LiveTrustSslContextFactory(
      Map<X509Certificate, PrivateKey> hostKeys,
      List<X509Certificate> caBundle,
      Predicate<X509Certificate> revoked) {
    this.revoked = revoked;
    this.trusted = List.copyOf(caBundle);
    setKeyStore(keyStore(hostKeys, caBundle));
    setKeyStorePassword(new String(PASSWORD));
    setKeyManagerPassword(new String(PASSWORD));
    setTrustStore(trustStore(caBundle));
    setWantClientAuth(true);
    setNeedClientAuth(false);
    setValidatePeerCerts(false); // PKIX without the JDK's CRL checker: see getTrustManagers
    setSniRequired(false);
    setEndpointIdentificationAlgorithm(null);
    setIncludeProtocols(PROTOCOLS);
    setIncludeCipherSuites(CIPHER_SUITES);
  }

  /** TLS 1.3, and TLS 1.2 for older agents: Mozilla's "intermediate" profile. */
  static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  /**
   * Every TLS 1.3 suite; for TLS 1.2 only forward-secret (ECDHE, DHE) AEAD suites (AES-GCM,
   * ChaCha20-Poly1305): no CBC, no static RSA key exchange.
   */
  static final String[] CIPHER_SUITES = {
    "^TLS_AES_(128|256)_GCM_SHA(256|384)$",
    "^TLS_CHACHA20_POLY1305_SHA256$",
    "^TLS_ECDHE_(ECDSA|RSA)_WITH_AES_(128|256)_GCM_SHA(256|384)$",
    "^TLS_ECDHE_(ECDSA|RSA)_WITH_CHACHA20_POLY1305_SHA256$",
    "^TLS_DHE_RSA_WITH_AES_(128|256)_GCM_SHA(256|384)$",
    "^TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256$"
  };

  @Override
  protected TrustManager[] getTrustManagers(KeyStore trustStore, Collection<? extends CRL> crls)
      throws Exception {
    TrustManager[] managers = super.getTrustManagers(trustStore, List.of());
    for (int i = 0; i < managers.length; i++) {
      if (managers[i] instanceof X509ExtendedTrustManager pkix) {
        managers[i] = new RevocationCheckingTrustManager(pkix, revoked);
      }
    }
    return managers;
  }

  /**
   * Each connection's engine: BoringSSL's (Conscrypt) issues no TLS 1.3 session tickets unless
   * asked, and agents resume their sessions with them; its copy buffers come from a shared pool.
   */
  @Override
  public void customize(SSLEngine engine) {
    super.customize(engine);
    TlsEngine.configure(engine);
  }

  @Override
  public void trustChanged(List<X509Certificate> caBundle) {
    if (caBundle.equals(trusted)) {
      // A CRL change alone: revocation is looked up live by the trust manager (full handshakes)
      // and by every request (resumed sessions, keep-alive connections), so TLS sessions survive.
      return;
    }
    trusted = List.copyOf(caBundle);
    try {
      reload(f -> f.setTrustStore(trustStore(caBundle)));
      LOG.debug("TLS trust reloaded: {} CA certificates", caBundle.size());
    } catch (Exception e) {
      LOG.error("Could not reload TLS trust; the previous CA bundle and CRL stay in force", e);
    }
  }

  private static KeyStore keyStore(
      Map<X509Certificate, PrivateKey> hostKeys, List<X509Certificate> bundle) {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      int n = 0;
      for (Map.Entry<X509Certificate, PrivateKey> e : hostKeys.entrySet()) {
        List<X509Certificate> above = ChainValidator.pathAbove(e.getKey(), bundle);
        X509Certificate[] chain = new X509Certificate[above.size() + 1];
        chain[0] = e.getKey();
        for (int i = 0; i < above.size(); i++) {
          chain[i + 1] = above.get(i);
        }
        ks.setKeyEntry("host" + n++, e.getValue(), PASSWORD, chain);
      }
      return ks;
    } catch (Exception e) {
      throw new IllegalStateException("cannot build the TLS key store", e);
    }
  }

  private static KeyStore trustStore(List<X509Certificate> bundle) {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      int i = 0;
      for (X509Certificate c : bundle) {
        ks.setCertificateEntry("ca-" + i++, c);
      }
      return ks;
    } catch (Exception e) {
      throw new IllegalStateException("cannot build the TLS trust store", e);
    }
  }
}
