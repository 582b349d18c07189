package org.voxca.http;

import org.voxca.ca.CertificateAuthority;

/**
 * {@code POST certificate_renewal} (Puppet Server 8's renewal): the certificate to renew comes from
 * the TLS session (or the trusted header); the request body is ignored. 200 with the new PEM.
 */
final class RenewalResource {
  private final CertificateAuthority ca;
  private final Identities identities;

  RenewalResource(CertificateAuthority ca, Identities identities) {
    this.ca = ca;
    this.identities = identities;
  }

  void post(Exchange ex, String ignored) throws Exception {
    ex.send(
        200,
        Exchange.TEXT,
        ca.renew(identities.renewalCertificate(ex.request, ex.identity)).bytes());
  }
}
