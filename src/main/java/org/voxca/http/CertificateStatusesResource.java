package org.voxca.http;

import java.time.Instant;
import org.eclipse.jetty.http.HttpHeader;
import org.voxca.ca.CertificateAuthority;

/**
 * {@code GET certificate_statuses/<ignored>}: every status as a streamed JSON array, filtered by
 * Puppet's {@code state} and voxca's {@code name} glob and {@code expiring_before}.
 */
final class CertificateStatusesResource {
  private final CertificateAuthority ca;

  CertificateStatusesResource(CertificateAuthority ca) {
    this.ca = ca;
  }

  void get(Exchange ex, String key) throws Exception {
    if (key == null) {
      if (!ex.path.trailingSlash()) {
        ex.text(404, "text/html; charset=utf-8", "Not Found");
        return;
      }
      ex.text(400, Exchange.TEXT_UTF8, "Missing URL Segment");
      return;
    }
    if (!Json.acceptable(ex.header(HttpHeader.ACCEPT))) {
      ex.text(406, Exchange.TEXT, "No acceptable resource available.");
      return;
    }
    String eb = ex.param("expiring_before");
    Instant before = eb == null ? null : PuppetDates.parse(eb);
    if (eb != null && before == null) {
      ex.text(
          400,
          Exchange.TEXT_UTF8,
          "Invalid expiring_before: '"
              + eb
              + "' (use 2027-01-31, 2027-01-31T12:00:00Z or 2027-01-31T12:00:00UTC)");
      return;
    }
    ex.stream(
        200,
        Json.responseType(ex.header(HttpHeader.ACCEPT)),
        out -> StatusListWriter.listing(out, ca, ex.param("state"), ex.param("name"), before));
  }
}
