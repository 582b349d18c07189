package org.voxca.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.function.Predicate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The JDK's PKIX trust manager (chain to the CA bundle, dates, key usage) followed by a lookup of
 * every certificate of the client's chain in the CRLs' revoked serials. It replaces the JDK's CRL
 * revocation checker, which needs the whole CRL parsed into objects (most of a second and some
 * hundred megabytes at 100,000 entries) and a new TLS context for every revocation. A revoked
 * client's handshake fails as before, with {@code certificate_unknown}.
 */
final class RevocationCheckingTrustManager extends X509ExtendedTrustManager {
  private final X509ExtendedTrustManager pkix;
  private final Predicate<X509Certificate> revoked;

  RevocationCheckingTrustManager(
      X509ExtendedTrustManager pkix, Predicate<X509Certificate> revoked) {
    this.pkix = pkix;
    this.revoked = revoked;
  }

  private void checkRevocation(X509Certificate[] chain) throws CertificateException {
    for (X509Certificate c : chain) {
      if (revoked.test(c)) {
        throw new CertificateException(
            "Certificate revoked: serial "
                + c.getSerialNumber()
                + " of "
                + c.getSubjectX500Principal().getName());
      }
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    pkix.checkClientTrusted(chain, authType, socket);
    checkRevocation(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    pkix.checkClientTrusted(chain, authType, engine);
    checkRevocation(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    pkix.checkClientTrusted(chain, authType);
    checkRevocation(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    pkix.checkServerTrusted(chain, authType, socket);
    checkRevocation(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    pkix.checkServerTrusted(chain, authType, engine);
    checkRevocation(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    pkix.checkServerTrusted(chain, authType);
    checkRevocation(chain);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return pkix.getAcceptedIssuers();
  }
}
