package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.pki.Certificates;
import org.voxca.testing.TestClient;
import org.voxca.testing.TestPki;
import org.voxca.testing.TestServer;

/**
 * TLS sessions survive CRL changes (no SSL context rebuild on a revocation), and a client revoked
 * after its session was established is refused on every request of a resumed session: the
 * per-request serial check, not the handshake, enforces revocation there.
 */
class SessionResumptionIT {
  @TempDir static Path dir;
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.builder(dir).autosign("true").start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** One request on a new connection from {@code ctx}; returns the status and session age. */
  private static String[] request(SSLContext ctx, String path) throws IOException {
    try (SSLSocket s =
        (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", server.port())) {
      s.setSoTimeout(10_000);
      s.startHandshake();
      long created = s.getSession().getCreationTime();
      s.getOutputStream()
          .write(
              ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + "Connection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      return new String[] {answer.substring(9, 12), String.valueOf(created)};
    }
  }

  @Test
  void aRevocationKeepsSessionsButARevokedClientIsRefusedOnEveryResumedRequest() throws Exception {
    KeyPair key = TestPki.freshEcKey();
    String name = "resumer.test";
    assertThat(
            server
                .anonymous()
                .put("/puppet-ca/v1/certificate_request/" + name, TestPki.csr(name).key(key).pem())
                .statusCode())
        .isEqualTo(200);
    X509Certificate cert =
        Certificates.readCertificates(
                server.anonymous().get("/puppet-ca/v1/certificate/" + name).body())
            .get(0);
    SSLContext agent = TestClient.sslContext(server.caBundle(), cert, key.getPrivate());
    SSLContext bystander = TestClient.sslContext(server.caBundle(), null, null);

    String[] first = request(agent, "/puppet-ca/v1/certificate/ca");
    String[] other = request(bystander, "/puppet-ca/v1/certificate/ca");
    assertThat(first[0]).isEqualTo("200");
    String[] resumed = request(agent, "/puppet-ca/v1/certificate/ca");
    assertThat(resumed[1])
        .as("the second connection resumed the first session")
        .isEqualTo(first[1]);

    // a revocation of someone else: sessions are kept (no SSL context rebuild)
    assertThat(
            server
                .anonymous()
                .put(
                    "/puppet-ca/v1/certificate_request/other.test", TestPki.csr("other.test").pem())
                .statusCode())
        .isEqualTo(200);
    assertThat(
            server
                .admin()
                .put(
                    "/puppet-ca/v1/certificate_status/other.test",
                    "{\"desired_state\":\"revoked\"}")
                .statusCode())
        .isEqualTo(204);
    Thread.sleep(300); // listeners are told in the background
    String[] afterOther = request(bystander, "/status/v1/simple");
    assertThat(afterOther[1])
        .as("the bystander's session survived the CRL change")
        .isEqualTo(other[1]);

    // the agent itself is revoked: its resumed sessions are refused on every request
    assertThat(
            server
                .admin()
                .put("/puppet-ca/v1/certificate_status/" + name, "{\"desired_state\":\"revoked\"}")
                .statusCode())
        .isEqualTo(204);
    for (int i = 0; i < 3; i++) {
      String[] r = request(agent, "/puppet-ca/v1/certificate/ca");
      assertThat(r[1]).as("still a resumed session").isEqualTo(first[1]);
      assertThat(r[0]).as("request %d of a revoked client's resumed session", i).isEqualTo("403");
    }
  }
}
