package org.voxca.http;

import java.util.LinkedHashMap;
import java.util.Map;
import org.voxca.ca.CertificateAuthority;

/** {@code GET expirations}: notAfter of each CA certificate, nextUpdate of each CRL. */
final class ExpirationsResource {
  private final CertificateAuthority ca;

  ExpirationsResource(CertificateAuthority ca) {
    this.ca = ca;
  }

  void get(Exchange ex, String ignored) {
    Map<String, Object> out = new LinkedHashMap<>();
    ca.expirations()
        .forEach(
            (kind, dates) -> {
              Map<String, String> m = new LinkedHashMap<>();
              dates.forEach((cn, t) -> m.put(cn, PuppetDates.format(t)));
              out.put(kind, m);
            });
    ex.text(200, Exchange.JSON, Json.write(out));
  }
}
