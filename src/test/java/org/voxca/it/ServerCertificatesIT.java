package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.pki.Certificates;
import org.voxca.pki.San;
import org.voxca.testing.SClient;
import org.voxca.testing.TestClient;
import org.voxca.testing.TestServer;

/**
 * The server offers an ECDSA certificate beside its RSA one: a client that accepts ECDSA gets the
 * cheaper handshake, one that offers only RSA signature algorithms still connects, and the ECDSA
 * certificate carries the same names, is issued by the CA and is in the inventory.
 */
class ServerCertificatesIT {
  @TempDir static Path dir;
  static TestServer server;
  static TestServer rsaOnly;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.builder(dir.resolve("both")).start();
    rsaOnly =
        TestServer.builder(dir.resolve("rsa"))
            .hocon("voxca { tls { ecdsa-server-certificate: false } }")
            .start();
  }

  @AfterAll
  static void stop() {
    server.close();
    rsaOnly.close();
  }

  private static X509Certificate peer(TestServer s, String... signatureSchemes) throws Exception {
    try (SSLSocket sock =
        (SSLSocket)
            TestClient.sslContext(s.caBundle(), null, null)
                .getSocketFactory()
                .createSocket("127.0.0.1", s.port())) {
      if (signatureSchemes.length > 0) {
        var p = sock.getSSLParameters();
        p.setProtocols(new String[] {"TLSv1.2"});
        p.setCipherSuites(new String[] {"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"});
        sock.setSSLParameters(p);
      }
      sock.startHandshake();
      return (X509Certificate) sock.getSession().getPeerCertificates()[0];
    }
  }

  @Test
  void clientsThatAcceptEcdsaGetItAndOthersStillGetRsa() throws Exception {
    X509Certificate ec = peer(server);
    assertThat(ec.getPublicKey().getAlgorithm()).isEqualTo("EC");
    X509Certificate rsa = peer(server, "rsa");
    assertThat(rsa.getPublicKey().getAlgorithm()).isEqualTo("RSA");
    assertThat(San.entries(San.of(ec), false)).isEqualTo(San.entries(San.of(rsa), false));
    assertThat(ec.getSubjectX500Principal()).isEqualTo(rsa.getSubjectX500Principal());
    ec.verify(server.issuer().certificate().getPublicKey());
    String inventory = Files.readString(server.config().store().inventory());
    assertThat(inventory).contains(String.format("0x%04X", ec.getSerialNumber()));
    assertThat(
            Certificates.readCertificates(
                    Files.readString(server.config().store().signeddir().resolve("voxca.test.pem")))
                .get(0)
                .getPublicKey()
                .getAlgorithm())
        .as("signed/ keeps the main (RSA) certificate")
        .isEqualTo("RSA");
    assertThat(peer(rsaOnly).getPublicKey().getAlgorithm()).isEqualTo("RSA");
  }

  @Test
  void opensslNegotiatesEcdsaByDefaultAndRsaWhenItOffersOnlyRsa() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/openssl")) || "true".equals(System.getenv("CI")));
    String byDefault = sClient(List.of());
    assertThat(byDefault).contains("Signature type: ECDSA");
    String rsa = sClient(List.of("-sigalgs", "RSA-PSS+SHA256:RSA+SHA256"));
    assertThat(rsa).containsPattern("Signature type: RSA");
  }

  private static String sClient(List<String> extra) throws Exception {
    return SClient.handshake(server, dir, extra.toArray(String[]::new));
  }
}
