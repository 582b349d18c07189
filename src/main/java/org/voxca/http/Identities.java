package org.voxca.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voxca.ca.CertificateAuthority;
import org.voxca.ca.RateLimitedLog;
import org.voxca.pki.Certificates;
import org.voxca.pki.Names;
import org.voxca.pki.PkiException;

/**
 * Establishes a request's {@link ClientIdentity}. By default only the certificate that TLS verified
 * counts, and {@code X-Client-*} headers are ignored. With {@code allow-header-cert-info} the
 * headers — and only they — identify the client.
 */
public final class Identities {
  private static final Logger LOG = LoggerFactory.getLogger(Identities.class);
  static final String VERIFY = "X-Client-Verify";
  static final String DN = "X-Client-DN";
  static final String CERT = "X-Client-Cert";

  private final boolean allowHeaderCertInfo;
  private final CertificateAuthority ca;
  private final RateLimitedLog refusals = new RateLimitedLog(LOG);

  public Identities(boolean allowHeaderCertInfo, CertificateAuthority ca) {
    this.allowHeaderCertInfo = allowHeaderCertInfo;
    this.ca = ca;
  }

  /** A header that cannot be decoded: answered 400 with this message. */
  public static final class BadHeader extends Exception {
    private static final long serialVersionUID = 1L;

    BadHeader(String message) {
      super(message, null, false, false);
    }
  }

  public ClientIdentity identify(Request request) throws BadHeader {
    if (allowHeaderCertInfo) {
      return fromHeaders(request);
    }
    if (request.getHeaders().get(DN) != null || request.getHeaders().get(VERIFY) != null) {
      LOG.debug("Ignoring X-Client-* headers: allow-header-cert-info is false");
    }
    X509Certificate cert = tlsCertificate(request);
    if (cert == null) {
      return ClientIdentity.ANONYMOUS;
    }
    return new ClientIdentity(
        Certificates.commonName(cert), cert, ca.isRevoked(cert.getSerialNumber()));
  }

  /**
   * The certificate a renewal is for: in header mode the {@code X-Client-Cert} header only;
   * otherwise the TLS client certificate, unless the TLS client is an infrastructure node
   * (infra_inventory.txt) forwarding an agent's certificate in {@code X-Client-Cert}. Anyone else's
   * header is ignored.
   */
  public X509Certificate renewalCertificate(Request request, ClientIdentity id) throws BadHeader {
    if (allowHeaderCertInfo) {
      return id.certificate();
    }
    X509Certificate tls = tlsCertificate(request);
    String header = request.getHeaders().get(CERT);
    if (tls != null && header != null && id.authenticated() && ca.isInfraNode(id.certname())) {
      LOG.info("Renewal forwarded by infrastructure node {}", id.certname());
      return headerCertificate(header);
    }
    if (header != null) {
      LOG.warn("Ignoring X-Client-Cert from {}: not an infrastructure node", id);
    }
    return tls;
  }

  /** The verified TLS client certificate, or null. */
  public static X509Certificate tlsCertificate(Request request) {
    Object attr = request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE);
    if (attr instanceof EndPoint.SslSessionData ssl) {
      X509Certificate[] chain = ssl.peerCertificates();
      if (chain != null && chain.length > 0) {
        return chain[0];
      }
    }
    return null;
  }

  private ClientIdentity fromHeaders(Request request) throws BadHeader {
    X509Certificate cert = headerCertificate(request.getHeaders().get(CERT));
    String verify = request.getHeaders().get(VERIFY);
    String dn = request.getHeaders().get(DN);
    if (!"SUCCESS".equals(verify) || dn == null) {
      return new ClientIdentity(null, cert, false);
    }
    String cn = dnCommonName(dn);
    if (cn == null || cn.isEmpty()) {
      return new ClientIdentity(null, cert, false);
    }
    if (cert != null && !ca.recognizes(cert)) {
      refusals.log(
          "Ignoring X-Client-* identity {}: its X-Client-Cert was not issued by this CA,"
              + " or is expired or revoked; the request is anonymous",
          cn);
      return ClientIdentity.refused(cert);
    }
    if (cert != null && !cn.equals(Certificates.commonName(cert))) {
      refusals.log(
          "Ignoring X-Client-* identity {}: X-Client-DN does not match X-Client-Cert ({});"
              + " the request is anonymous",
          cn,
          Certificates.commonName(cert));
      return ClientIdentity.ANONYMOUS;
    }
    return new ClientIdentity(cn, cert, false);
  }

  /** Parses the URL-encoded PEM of {@code X-Client-Cert}; null when the header is absent. */
  public static X509Certificate headerCertificate(String header) throws BadHeader {
    if (header == null) {
      return null;
    }
    String pem;
    try {
      pem = percentDecode(header);
    } catch (IllegalArgumentException e) {
      throw new BadHeader("Unable to URL decode the x-client-cert header: " + e.getMessage());
    }
    List<X509Certificate> certs;
    try {
      certs = Certificates.readCertificates(pem);
    } catch (PkiException e) {
      throw new BadHeader("Unable to parse x-client-cert into certificate: " + e.getMessage());
    }
    if (certs.isEmpty()) {
      throw new BadHeader("No certs found in PEM read from x-client-cert");
    }
    if (certs.size() > 1) {
      throw new BadHeader(
          "Only 1 PEM should be supplied for x-client-cert but " + certs.size() + " found");
    }
    return certs.get(0);
  }

  /** Percent-decoding only: '+' stays '+'. */
  static String percentDecode(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length()) {
          throw new IllegalArgumentException("incomplete escape at index " + i);
        }
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw new IllegalArgumentException("illegal hex digits at index " + i);
        }
        out.write(hi * 16 + lo);
        i += 2;
      } else {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** The CN of an RFC 2253 ({@code CN=a,O=b}) or OpenSSL slash ({@code /O=b/CN=a}) DN. */
  static String dnCommonName(String dn) {
    String s = dn.trim();
    try {
      if (s.startsWith("/")) {
        for (String part : s.substring(1).split("/")) {
          if (part.regionMatches(true, 0, "CN=", 0, 3)) {
            return part.substring(3);
          }
        }
        return null;
      }
      return Names.commonName(new X500Principal(s));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
