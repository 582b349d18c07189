package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.pki.Certificates;
import org.voxca.pki.KeyIds;
import org.voxca.testing.CliRunner;
import org.voxca.testing.TestClient;
import org.voxca.testing.TestPki;
import org.voxca.testing.TestServer;

/**
 * {@code voxca ca extend}: while the server runs (through it) and offline. The new CA certificate
 * keeps key, subject, serial and key identifiers; certificates issued before verify under it,
 * agents with the old one keep working, and new certificates may outlive the old CA date.
 */
class CaExtensionIT {
  @TempDir Path dir;

  private static X509Certificate ca(TestServer s) {
    return Certificates.readCertificates(s.anonymous().get("/puppet-ca/v1/certificate/ca").body())
        .get(0);
  }

  private static boolean verifies(X509Certificate leaf, X509Certificate anchor) {
    try {
      PKIXParameters p = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
      p.setRevocationEnabled(false);
      CertPathValidator.getInstance("PKIX")
          .validate(CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf)), p);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  @Test
  void extendedWhileRunningThenOfflineAndEverythingIssuedBeforeStillVerifies() throws Exception {
    Path root = dir.resolve("server");
    Path cadir;
    X509Certificate before;
    X509Certificate agentCert;
    try (TestServer server =
        TestServer.builder(root).autosign("true").setting("ca_ttl", "2y").start()) {
      cadir = server.cadir();
      before = ca(server);
      TestClient anon = server.anonymous();
      assertThat(
              anon.put(
                      "/puppet-ca/v1/certificate_request/old-agent.test",
                      TestPki.csr("old-agent.test").pem())
                  .statusCode())
          .isEqualTo(200);
      agentCert =
          Certificates.readCertificates(anon.get("/puppet-ca/v1/certificate/old-agent.test").body())
              .get(0);
      Thread.sleep(1100); // HTTP dates have one-second precision
      String fetched =
          java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
              java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC));
      assertThat(
              anon.get("/puppet-ca/v1/certificate/ca", "If-Modified-Since", fetched).statusCode())
          .isEqualTo(304);
      Thread.sleep(1100);

      CliRunner.Run run =
          CliRunner.ca(
              root,
              List.of("--server-url", "https://127.0.0.1:" + server.port()),
              "extend",
              "--ttl",
              "15y");
      assertThat(run.code()).as(run.out() + run.err()).isZero();
      assertThat(run.out()).contains("through the running server");

      X509Certificate after = ca(server);
      assertThat(after.getSerialNumber()).isEqualTo(before.getSerialNumber());
      assertThat(after.getSubjectX500Principal()).isEqualTo(before.getSubjectX500Principal());
      assertThat(after.getPublicKey()).isEqualTo(before.getPublicKey());
      assertThat(KeyIds.subjectKeyIdOf(after)).isEqualTo(KeyIds.subjectKeyIdOf(before));
      assertThat(after.getNotAfter().toInstant())
          .isAfter(Instant.now().plus(Duration.ofDays(15 * 365 - 2)));
      HttpResponse<String> ims =
          anon.get("/puppet-ca/v1/certificate/ca", "If-Modified-Since", fetched);
      assertThat(ims.statusCode())
          .as("agents' If-Modified-Since fetches the new bundle")
          .isEqualTo(200);
      assertThat(verifies(agentCert, after)).as("an agent certificate issued before").isTrue();
      assertThat(verifies(agentCert, before)).isTrue();

      // the agent, still trusting the old CA certificate, talks to the server as before
      TestClient oldAgent =
          new TestClient(server.port(), List.of(before), agentCert, TestPki.ecKey().getPrivate());
      assertThat(oldAgent.get("/puppet-ca/v1/certificate/old-agent.test").statusCode())
          .isEqualTo(200);
      // a certificate signed now may outlive the old CA certificate
      assertThat(
              anon.put(
                      "/puppet-ca/v1/certificate_request/late.test", TestPki.csr("late.test").pem())
                  .statusCode())
          .isEqualTo(200);
      X509Certificate late =
          Certificates.readCertificates(anon.get("/puppet-ca/v1/certificate/late.test").body())
              .get(0);
      assertThat(late.getNotAfter()).isAfter(before.getNotAfter());
      assertThat(verifies(late, after)).isTrue();
      assertThat(server.admin().get("/puppet-ca/v1/expirations").body())
          .contains(
              String.valueOf(
                  after.getNotAfter().toInstant().atZone(java.time.ZoneOffset.UTC).getYear()));
      try (Stream<Path> files = Files.list(cadir)) {
        List<Path> backups =
            files.filter(p -> p.getFileName().toString().startsWith("ca_crt.pem.")).toList();
        assertThat(backups).hasSize(1);
        assertThat(Certificates.readCertificates(Files.readString(backups.get(0))).get(0))
            .isEqualTo(before);
      }
      assertThat(Files.readString(server.config().ssl().localcacert()))
          .as("the ssldir copy follows")
          .isEqualTo(Files.readString(cadir.resolve("ca_crt.pem")));
    }
    // offline, with the server stopped
    CliRunner.Run offline = CliRunner.ca(root, List.of(), "extend", "--ttl", "20y");
    assertThat(offline.code()).as(offline.out() + offline.err()).isZero();
    X509Certificate third =
        Certificates.readCertificates(Files.readString(cadir.resolve("ca_crt.pem"))).get(0);
    assertThat(third.getNotAfter().toInstant())
        .isAfter(Instant.now().plus(Duration.ofDays(20 * 365 - 2)));
    assertThat(third.getSerialNumber()).isEqualTo(before.getSerialNumber());
    assertThat(verifies(agentCert, third)).isTrue();
    assertThat(third.getSerialNumber()).isEqualTo(BigInteger.ONE);
  }
}
