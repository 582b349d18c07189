package org.voxca.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.voxca.testing.TestClient;

/**
 * Full TLS handshakes alone: every connection from a fresh client context (so nothing resumes), one
 * {@code GET certificate/ca}, closed. The cipher suite picks the server certificate's key type (TLS
 * 1.2 ECDHE-RSA or ECDHE-ECDSA); null lets TLS 1.3 negotiate as clients do.
 */
final class Handshakes {
  private Handshakes() {}

  static void phase(
      String what,
      List<X509Certificate> ca,
      int port,
      int n,
      int concurrency,
      long pid,
      String suite)
      throws Exception {
    BootstrapBench.phase(what, n, concurrency, pid, i -> once(ca, port, suite));
  }

  static String once(List<X509Certificate> ca, int port, String suite) throws IOException {
    SSLContext fresh = TestClient.sslContext(ca, null, null);
    try (SSLSocket s = (SSLSocket) fresh.getSocketFactory().createSocket("127.0.0.1", port)) {
      if (suite != null) {
        s.setEnabledProtocols(new String[] {"TLSv1.2"});
        s.setEnabledCipherSuites(new String[] {suite});
      }
      s.setSoTimeout(30_000);
      s.getOutputStream()
          .write(
              ("GET /puppet-ca/v1/certificate/ca HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                      + "Connection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      if (!answer.startsWith("HTTP/1.1 200")) {
        throw new IOException("unexpected answer: " + answer.lines().findFirst().orElse(""));
      }
      return s.getSession().getPeerCertificates()[0].getPublicKey().getAlgorithm();
    }
  }
}
