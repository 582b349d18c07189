package org.voxca.http;

import java.time.Instant;
import java.util.Locale;
import org.eclipse.jetty.http.HttpHeader;
import org.voxca.ca.CertificateAuthority;
import org.voxca.ca.Document;

/**
 * {@code GET certificate/<name>} (and {@code certificate/ca}, the bundle byte for byte) and {@code
 * GET certificate_revocation_list/<ignored>} (the whole CRL chain), both answering {@code
 * If-Modified-Since} with 304 when the stored file is not newer.
 */
final class CertificateResource {
  private final CertificateAuthority ca;

  CertificateResource(CertificateAuthority ca) {
    this.ca = ca;
  }

  void certificate(Exchange ex, String name) {
    Document d = "ca".equals(name) ? ca.caBundle() : ca.certificate(name).orElse(null);
    if (d != null && "ca".equals(name) && ex.identity.authenticated()) {
      ca.noteFetch(ex.identity.certname(), true);
    }
    if (d == null) {
      ex.text(404, Exchange.TEXT, "Could not find certificate " + name);
      return;
    }
    conditional(ex, d);
  }

  /** The CRL chain; gzipped (made once per CRL) for a client that accepts it and a large CRL. */
  void crl(Exchange ex, String ignored) {
    Document d = ca.crl();
    if (ex.identity.authenticated()) {
      ca.noteFetch(ex.identity.certname(), false);
    }
    ex.vary(HttpHeader.ACCEPT_ENCODING.asString());
    if (d.bytes().length > GZIP_FROM && acceptsGzip(ex.header(HttpHeader.ACCEPT_ENCODING))) {
      if (notModified(ex, d)) {
        return;
      }
      ex.gzipped(200, Exchange.TEXT, d.gzipped());
      return;
    }
    conditional(ex, d);
  }

  /** Below this a CRL is sent as it is: compression would save a few hundred bytes at most. */
  static final int GZIP_FROM = 2048;

  /** True when {@code Accept-Encoding} lists gzip (or *) with a non-zero quality. */
  static boolean acceptsGzip(String header) {
    if (header == null) {
      return false;
    }
    for (String part : header.split(",")) {
      String[] p = part.trim().split(";");
      String coding = p[0].trim().toLowerCase(Locale.ROOT);
      if (!coding.equals("gzip") && !coding.equals("*")) {
        continue;
      }
      boolean zero = false;
      for (int i = 1; i < p.length; i++) {
        String q = p[i].trim().toLowerCase(Locale.ROOT);
        zero |= q.startsWith("q=") && q.substring(2).trim().matches("0(\\.0{0,3})?");
      }
      return !zero;
    }
    return false;
  }

  void updateCrls(Exchange ex, String ignored) throws Exception {
    ca.updateCrls(ex.body());
    ex.text(200, Exchange.TEXT_UTF8, "Successfully updated CRLs.");
  }

  private static void conditional(Exchange ex, Document d) {
    if (!notModified(ex, d)) {
      ex.send(200, Exchange.TEXT, d.bytes());
    }
  }

  /** Answers 304 when {@code If-Modified-Since} is not older than the document; true if so. */
  private static boolean notModified(Exchange ex, Document d) {
    Instant since = HttpDates.parse(ex.header(HttpHeader.IF_MODIFIED_SINCE));
    if (since != null && !d.modifiedAfter(since)) {
      ex.empty(304, Exchange.TEXT);
      return true;
    }
    return false;
  }
}
