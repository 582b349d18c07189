package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.pki.CertBuilder;
import org.voxca.pki.Certificates;
import org.voxca.pki.CrlBuilder;
import org.voxca.pki.Issuer;
import org.voxca.pki.Keys;
import org.voxca.pki.Pem;
import org.voxca.testing.TestClient;
import org.voxca.testing.TestPki;
import org.voxca.testing.TestServer;

/** Client certificates over mutual TLS: trusted from this CA only, refused once revoked. */
class TlsTrustIT {
  @TempDir static Path dir;
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.builder(dir).autosign("false").start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** Signs {@code name} through the API and returns a client that presents its certificate. */
  private static TestClient signedAgent(String name, KeyPair key) {
    assertThat(
            server
                .anonymous()
                .put("/puppet-ca/v1/certificate_request/" + name, TestPki.csr(name).key(key).pem())
                .statusCode())
        .isEqualTo(200);
    assertThat(
            server
                .admin()
                .put("/puppet-ca/v1/certificate_status/" + name, "{\"desired_state\":\"signed\"}")
                .statusCode())
        .isEqualTo(204);
    X509Certificate cert =
        Certificates.readCertificates(
                server.anonymous().get("/puppet-ca/v1/certificate/" + name).body())
            .get(0);
    return server.client(cert, key.getPrivate());
  }

  @Test
  void aRevokedAgentIsRefusedOnItsNextRequestWithoutRestart() {
    KeyPair key = TestPki.freshEcKey();
    TestClient agent = signedAgent("revoke-me", key);
    // an admin-only endpoint answers 403 for a plain agent: proves the agent was authenticated
    assertThat(agent.get("/puppet-ca/v1/certificate/ca").statusCode()).isEqualTo(200);

    HttpResponse<String> revoke =
        server
            .admin()
            .put("/puppet-ca/v1/certificate_status/revoke-me", "{\"desired_state\":\"revoked\"}");
    assertThat(revoke.statusCode()).isEqualTo(204);
    assertThat(server.anonymous().get("/puppet-ca/v1/certificate_revocation_list/ca").body())
        .contains("BEGIN X509 CRL");

    // same client: its keep-alive connection or a resumed session gets 403; a new handshake fails
    assertRefused(agent);
    X509Certificate cert =
        Certificates.readCertificates(
                server.anonymous().get("/puppet-ca/v1/certificate/revoke-me").body())
            .get(0);
    assertRefused(server.client(cert, key.getPrivate()));
    // revoking again is fine and changes nothing
    assertThat(
            server
                .admin()
                .put(
                    "/puppet-ca/v1/certificate_status/revoke-me", "{\"desired_state\":\"revoked\"}")
                .statusCode())
        .isEqualTo(204);
  }

  @Test
  void aCrlEditedOnDiskTakesEffectWithinSeconds() throws Exception {
    KeyPair key = TestPki.freshEcKey();
    TestClient agent = signedAgent("offline-revoked", key);
    assertThat(agent.get("/puppet-ca/v1/certificate/ca").statusCode()).isEqualTo(200);
    X509Certificate cert =
        Certificates.readCertificates(
                server.anonymous().get("/puppet-ca/v1/certificate/offline-revoked").body())
            .get(0);

    // an offline tool (the CLI's prune, or openssl) rewrites ca_crl.pem
    Path crlFile = server.config().store().cacrl();
    X509CRL current = Certificates.readCrls(Files.readString(crlFile)).get(0);
    Issuer issuer = server.issuer();
    X509CRL next =
        CrlBuilder.build(
            issuer,
            Instant.now().minusSeconds(60),
            Instant.now().plus(Duration.ofDays(30)),
            CrlBuilder.number(current).add(BigInteger.ONE),
            current,
            Map.of(cert.getSerialNumber(), Instant.now()));
    Files.writeString(crlFile, Pem.encode(next), StandardCharsets.US_ASCII);

    long deadline = System.currentTimeMillis() + 10_000;
    boolean refused = false;
    while (!refused && System.currentTimeMillis() < deadline) {
      Thread.sleep(300);
      refused = isRefused(server.client(cert, key.getPrivate()));
    }
    assertThat(refused).as("revocation written to ca_crl.pem is enforced without restart").isTrue();
    assertThat(Files.readString(server.config().ssl().hostcrl()))
        .isEqualTo(Files.readString(crlFile));
  }

  @Test
  void aCertificateFromAnotherCaFailsTheHandshake() {
    KeyPair otherKey = Keys.rsa(2048);
    Instant now = Instant.now();
    X509Certificate otherCa =
        CertBuilder.selfSignedCa(
            "Other CA",
            otherKey,
            BigInteger.ONE,
            now.minusSeconds(60),
            now.plus(Duration.ofDays(1)));
    Issuer other = new Issuer(otherCa, otherKey.getPrivate(), List.of(otherCa));
    KeyPair key = TestPki.freshEcKey();
    X509Certificate foreign = TestPki.issue(other, "foreign", key, BigInteger.TEN, true);
    TestClient client = server.client(foreign, key.getPrivate());
    assertThatThrownBy(() -> client.get("/puppet-ca/v1/certificate/ca"))
        .isInstanceOf(RuntimeException.class);
  }

  @Test
  void headerIdentityIsIgnoredByDefault() {
    HttpResponse<String> r =
        server
            .anonymous()
            .get(
                "/puppet-ca/v1/certificate_requests/all",
                "X-Client-Verify",
                "SUCCESS",
                "X-Client-DN",
                "CN=voxca.test");
    assertThat(r.statusCode()).isEqualTo(403);
  }

  @Test
  void aRevokedCertificateFailsTheHandshakeItselfNotJustTheRequest() {
    KeyPair key = TestPki.freshEcKey();
    TestClient agent = signedAgent("handshake-revoked", key);
    assertThat(agent.get("/puppet-ca/v1/certificate/ca").statusCode()).isEqualTo(200);
    X509Certificate cert =
        Certificates.readCertificates(
                server.anonymous().get("/puppet-ca/v1/certificate/handshake-revoked").body())
            .get(0);
    assertThat(
            server
                .admin()
                .put(
                    "/puppet-ca/v1/certificate_status/handshake-revoked",
                    "{\"desired_state\":\"revoked\"}")
                .statusCode())
        .isEqualTo(204);
    Throwable t =
        Assertions.catchThrowable(
            () -> server.client(cert, key.getPrivate()).get("/puppet-ca/v1/certificate/ca"));
    assertThat(t).as("a fresh connection with a revoked certificate").isNotNull();
    StringBuilder chain = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      chain.append(c).append(" | ");
    }
    assertThat(chain.toString())
        .containsAnyOf("certificate_unknown", "bad_certificate", "certificate_revoked");
  }

  private static void assertRefused(TestClient client) {
    assertThat(isRefused(client)).isTrue();
  }

  private static boolean isRefused(TestClient client) {
    try {
      return client.get("/puppet-ca/v1/certificate/ca").statusCode() == 403;
    } catch (RuntimeException e) {
      return true; // TLS handshake refused
    }
  }
}
