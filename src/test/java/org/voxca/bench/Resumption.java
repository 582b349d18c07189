package org.voxca.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import org.voxca.testing.TestClient;
import org.voxca.testing.TestPki;

/**
 * Bootstraps as the reference agent makes them: one new TLS connection for the CA
 * certificate, a second for the CRL, the CSR and the certificate. Twice: with a client that resumes
 * (both connections from one client context, so the second offers the first's session, as OpenSSL,
 * Ruby and Java clients do) and with one that never does (a fresh context per connection). Prints
 * the share of second connections the server resumed and its CPU per bootstrap in each case.
 */
final class Resumption {
  private Resumption() {}

  static void phases(List<X509Certificate> ca, int port, int n, int concurrency, long pid)
      throws Exception {
    KeyPair key = org.voxca.pki.Keys.rsa(2048);
    for (boolean resume : new boolean[] {false, true}) {
      AtomicInteger resumed = new AtomicInteger();
      String tag = resume ? "resume" : "fresh";
      BootstrapBench.phase(
          resume
              ? "bootstrap over 2 connections, the second resuming the first's session"
              : "bootstrap over 2 connections, no resumption (a fresh client context each)",
          n,
          concurrency,
          pid,
          i -> {
            String name = tag + i + ".resumption.bench.test";
            SSLContext first = TestClient.sslContext(ca, null, null);
            SSLContext second = resume ? first : TestClient.sslContext(ca, null, null);
            String base = "https://127.0.0.1:" + port + "/puppet-ca/v1/";
            SSLSession a = send(client(first), "GET", base + "certificate/ca", null);
            HttpClient c = client(second);
            SSLSession b = send(c, "GET", base + "certificate_revocation_list/ca", null);
            send(c, "PUT", base + "certificate_request/" + name, TestPki.csr(name).key(key).pem());
            send(c, "GET", base + "certificate/" + name, null);
            if (a.getCreationTime() == b.getCreationTime()) { // a resumed session keeps its time
              resumed.incrementAndGet();
            }
          });
      System.out.printf("  second connections resumed: %d of %d%n", resumed.get(), n);
    }
  }

  private static HttpClient client(SSLContext ctx) {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(ctx).build();
  }

  private static SSLSession send(HttpClient c, String method, String url, String body)
      throws Exception {
    HttpResponse<String> r =
        c.send(
            HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(60))
                .method(
                    method,
                    body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(method + " " + url + " -> " + r.statusCode());
    }
    return r.sslSession().orElseThrow();
  }
}
