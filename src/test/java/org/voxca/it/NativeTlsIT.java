package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.testing.LogCapture;
import org.voxca.testing.TestClient;
import org.voxca.testing.TestPki;
import org.voxca.testing.TestServer;
import org.voxca.tls.TlsEngine;

/**
 * {@code voxca.tls.engine = native}: HTTPS served by BoringSSL (Conscrypt). It says so once, keeps
 * the cipher policy (TLS 1.3, and TLS 1.2 with forward-secret AEAD suites only), serves an agent's
 * bootstrap and an admin's client certificate, and offers one certificate, the ECDSA one, so a
 * client that accepts only RSA is refused (documented). An unknown engine name stops the start.
 */
class NativeTlsIT {
  @TempDir static Path dir;
  static TestServer server;
  static LogCapture logs;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(TlsEngine.nativeAvailable(), "BoringSSL does not load on this platform");
    logs = new LogCapture();
    server =
        TestServer.builder(dir.resolve("native"))
            .autosign("true")
            .hocon("voxca.tls.engine = native\n")
            .start();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
      logs.close();
    }
  }

  private static SSLSocket connect(String protocol, String suite) throws Exception {
    SSLSocket sock =
        (SSLSocket)
            TestClient.sslContext(server.caBundle(), null, null)
                .getSocketFactory()
                .createSocket("127.0.0.1", server.port());
    var p = sock.getSSLParameters();
    p.setProtocols(new String[] {protocol});
    if (suite != null) {
      p.setCipherSuites(new String[] {suite});
    }
    sock.setSSLParameters(p);
    sock.startHandshake();
    return sock;
  }

  @Test
  void boringSslServesWithTheSameCipherPolicy() throws Exception {
    assertThat(logs.events())
        .anyMatch(e -> e.getFormattedMessage().startsWith("TLS engine: BoringSSL"));
    try (SSLSocket s = connect("TLSv1.3", null)) {
      X509Certificate peer = (X509Certificate) s.getSession().getPeerCertificates()[0];
      assertThat(peer.getPublicKey().getAlgorithm()).isEqualTo("EC");
      assertThat(s.getSession().getProtocol()).isEqualTo("TLSv1.3");
    }
    try (SSLSocket s = connect("TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")) {
      assertThat(s.getSession().getCipherSuite())
          .isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
    }
    assertThatThrownBy(() -> connect("TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"))
        .as("no CBC suite")
        .isInstanceOf(SSLHandshakeException.class);
    assertThatThrownBy(() -> connect("TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"))
        .as("one certificate, the ECDSA one: a client that takes only RSA is refused")
        .isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void anAgentBootstrapsAndClientCertificatesAuthenticate() throws Exception {
    String name = "agent.native.test";
    var put =
        server
            .anonymous()
            .put("/puppet-ca/v1/certificate_request/" + name, TestPki.csr(name).pem());
    assertThat(put.statusCode()).isEqualTo(200);
    var cert = server.anonymous().get("/puppet-ca/v1/certificate/" + name);
    assertThat(cert.statusCode()).isEqualTo(200);
    assertThat(cert.body()).startsWith("-----BEGIN CERTIFICATE-----");
    assertThat(server.admin().get("/puppet-ca/v1/certificate_statuses/any").statusCode())
        .isEqualTo(200);
    assertThat(server.anonymous().get("/puppet-ca/v1/certificate_statuses/any").statusCode())
        .as("no client certificate, no listing")
        .isEqualTo(403);
  }

  @Test
  void anUnknownEngineStopsTheStart() {
    assertThatThrownBy(
            () ->
                TestServer.builder(dir.resolve("bad")).hocon("voxca.tls.engine = fast\n").config())
        .hasMessageContaining("voxca.tls.engine")
        .hasMessageContaining("must be auto, native or jdk");
  }
}
