package org.voxca.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.voxca.ca.CertificateAuthority;
import org.voxca.ca.Document;

/**
 * {@code certificate_request/<name>} GET, PUT, DELETE and the legacy plural list, with Puppet
 * Server's status codes and texts (docs/behaviour.md).
 */
final class CertificateRequestResource {
  static final String NO_KEY = "No request key specified in /puppet-ca/v1/certificate_request";
  private static final byte[] SEPARATOR = "\n---\n".getBytes(StandardCharsets.US_ASCII);
  private final CertificateAuthority ca;

  CertificateRequestResource(CertificateAuthority ca) {
    this.ca = ca;
  }

  void get(Exchange ex, String name) {
    Document d = ca.csr(name).orElse(null);
    if (d == null) {
      ex.text(404, Exchange.TEXT, "Not Found: Could not find certificate_request " + name);
      return;
    }
    ex.send(200, Exchange.TEXT, d.bytes());
  }

  void put(Exchange ex, String name) throws Exception {
    byte[] body = ex.body();
    ca.submitCsr(name, body);
    ex.empty(200, Exchange.TEXT);
  }

  void delete(Exchange ex, String name) {
    ex.text(200, Exchange.TEXT, ca.deleteCsr(name) ? "1" : "false");
  }

  void noKey(Exchange ex, String ignored) {
    ex.text(400, Exchange.TEXT, NO_KEY);
  }

  /** All pending CSRs as PEM, separated by {@code \n---\n}. */
  void list(Exchange ex, String ignored) {
    List<Document> csrs = ca.pendingCsrs();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < csrs.size(); i++) {
      if (i > 0) {
        out.writeBytes(SEPARATOR);
      }
      out.writeBytes(csrs.get(i).bytes());
    }
    ex.send(200, Exchange.TEXT, out.toByteArray());
  }
}
