package org.voxca.http;

import java.security.cert.X509Certificate;
import org.voxca.pki.CertExtensions;
import org.voxca.pki.PuppetOids;

/**
 * Who is calling: a certname when the client is authenticated (verified TLS certificate, or the
 * trusted {@code X-Client-*} headers when the operator allowed them), and the certificate when one
 * is known (for extension rules and renewal).
 */
public record ClientIdentity(
    String certname, X509Certificate certificate, boolean revoked, X509Certificate rejected) {
  public static final ClientIdentity ANONYMOUS = new ClientIdentity(null, null, false);

  public ClientIdentity(String certname, X509Certificate certificate, boolean revoked) {
    this(certname, certificate, revoked, null);
  }

  /**
   * Anonymous, though it presented (in the trusted {@code X-Client-Cert} header) a certificate that
   * verification refused: not of this CA, expired or revoked. Kept only to say why a renewal is
   * refused.
   */
  static ClientIdentity refused(X509Certificate presented) {
    return new ClientIdentity(null, null, false, presented);
  }

  public boolean authenticated() {
    return certname != null && !certname.isEmpty() && !revoked;
  }

  /** Text value of a certificate extension by dotted OID, or null. */
  public String extension(String oid) {
    return certificate == null ? null : CertExtensions.text(certificate, oid);
  }

  /** True for an admin certificate: pp_cli_auth = "true". */
  public boolean cliAuth() {
    return authenticated() && "true".equals(extension(PuppetOids.PP_CLI_AUTH.getId()));
  }

  @Override
  public String toString() {
    if (certname == null) {
      return "an unauthenticated client";
    }
    return (revoked ? "revoked certificate " : "") + "'" + certname + "'";
  }
}
