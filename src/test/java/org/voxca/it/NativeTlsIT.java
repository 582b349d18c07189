package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.testing.LogCapture;
import org.voxca.testing.SClient;
import org.voxca.testing.TestClient;
import org.voxca.testing.TestPki;
import org.voxca.testing.TestServer;
import org.voxca.tls.TlsEngine;

/**
 * {@code voxca.tls.engine = native}: HTTPS served by BoringSSL (Conscrypt). It says so once, keeps
 * the cipher policy (TLS 1.3, and TLS 1.2 with forward-secret AEAD suites only), serves an agent's
 * bootstrap and an admin's client certificate, and offers the ECDSA and RSA certificates side by
 * side (each client the one its ClientHello accepts). An unknown engine name stops the start.
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
    try (SSLSocket s = connect("TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")) {
      X509Certificate peer = (X509Certificate) s.getSession().getPeerCertificates()[0];
      assertThat(peer.getPublicKey().getAlgorithm())
          .as("a TLS 1.2 client without an ECDSA suite gets the RSA certificate")
          .isEqualTo("RSA");
    }
  }

  @Test
  void eachClientGetsTheCertificateItsClientHelloAccepts() throws Exception {
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/openssl")) || "true".equals(System.getenv("CI")));
    assertThat(sClient("-tls1_3")).contains("Signature type: ECDSA");
    assertThat(sClient("-tls1_3", "-sigalgs", "RSA-PSS+SHA256:RSA-PSS+SHA384"))
        .as("a TLS 1.3 client that signs with RSA only")
        .contains("Signature type: RSA-PSS");
    assertThat(sClient("-tls1_2", "-sigalgs", "RSA+SHA256"))
        .as("a TLS 1.2 client that takes RSA only")
        .contains("Signature type: RSA");
    assertThat(sClient("-tls1_3", "-groups", "X25519", "-sigalgs", "ECDSA+SHA384:RSA-PSS+SHA256"))
        .as("ECDSA, but not over P-256: the RSA certificate")
        .contains("Signature type: RSA-PSS");
    assertThat(sClient("-tls1_3", "-sigalgs", "ECDSA+SHA256"))
        .as("an ECDSA-only client")
        .contains("Signature type: ECDSA");
  }

  private static String sClient(String... extra) throws Exception {
    String out = SClient.handshake(server, dir, extra);
    assertThat(out).as("openssl %s", List.of(extra)).contains("Verification: OK");
    return out;
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
