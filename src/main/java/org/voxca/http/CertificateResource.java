package org.voxca.http;

import java.time.Instant;
import org.eclipse.jetty.http.HttpHeader;
import org.voxca.ca.CertificateAuthority;
import org.voxca.ca.Document;

/**
 * {@code GET certificate/<name>} (and {@code certificate/ca}, the bundle byte for byte) and {@code
 * GET certificate_revocation_list/<ignored>} (the whole CRL chain), both answering {@code
 * If-Modified-Since} with 304 when the stored file is not newer (spec §2.1, §2.3).
 */
final class CertificateResource {
  private final CertificateAuthority ca;

  CertificateResource(CertificateAuthority ca) {
    this.ca = ca;
  }

  void certificate(Exchange ex, String name) {
    Document d = "ca".equals(name) ? ca.caBundle() : ca.certificate(name).orElse(null);
    if (d == null) {
      ex.text(404, Exchange.TEXT, "Could not find certificate " + name);
      return;
    }
    conditional(ex, d);
  }

  void crl(Exchange ex, String ignored) {
    conditional(ex, ca.crl());
  }

  void updateCrls(Exchange ex, String ignored) throws Exception {
    ca.updateCrls(ex.body());
    ex.text(200, Exchange.TEXT_UTF8, "Successfully updated CRLs.");
  }

  private static void conditional(Exchange ex, Document d) {
    Instant since = HttpDates.parse(ex.header(HttpHeader.IF_MODIFIED_SINCE));
    if (since != null && !d.modifiedAfter(since)) {
      ex.empty(304, Exchange.TEXT);
      return;
    }
    ex.send(200, Exchange.TEXT, d.bytes());
  }
}
