package org.voxca.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.voxca.ca.CertificateAuthority;

/**
 * {@code POST /voxca/v1/ca_extension} with {@code {"ttl": seconds, "root": false, "force": false}}
 * (voxca's own, admin only): extends the CA certificate while the server runs; 200 with its new
 * notAfter. A ttl under a day, or one that would shorten the certificate's life without force, is a
 * 400.
 */
final class CaExtensionResource {
  private final CertificateAuthority ca;

  CaExtensionResource(CertificateAuthority ca) {
    this.ca = ca;
  }

  void post(Exchange ex, String ignored) {
    JsonNode body = Json.parse(ex.body());
    JsonNode ttl = body == null ? null : body.get("ttl");
    if (ttl == null || !ttl.isIntegralNumber() || !ttl.canConvertToLong() || ttl.asLong() <= 0) {
      ex.text(400, Exchange.TEXT_UTF8, "Expected {\"ttl\": <seconds, greater than zero>}");
      return;
    }
    boolean root = body.path("root").asBoolean(false);
    boolean force = body.path("force").asBoolean(false);
    X509Certificate next = ca.extendCaCertificate(Duration.ofSeconds(ttl.asLong()), root, force);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("subject", next.getSubjectX500Principal().getName());
    out.put("not_after", PuppetDates.format(next.getNotAfter().toInstant()));
    ex.text(200, Exchange.JSON, Json.write(out));
  }
}
