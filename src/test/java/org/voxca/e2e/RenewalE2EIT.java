package org.voxca.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.pki.CertBuilder;
import org.voxca.pki.Certificates;
import org.voxca.pki.Issuer;
import org.voxca.pki.Keys;
import org.voxca.pki.Pem;
import org.voxca.testing.TestPki;
import org.voxca.testing.TestServer;

/**
 * Renewal driven by curl with a real agent's files (Debian's puppet 7.23 cannot renew by itself):
 * 200 with a certificate openssl verifies and the agent's key matches, 404 when disabled, 403 for a
 * certificate of another CA and 400 for a revoked one, both forwarded by an infrastructure node.
 */
class RenewalE2EIT {
  @TempDir static Path dir;
  static TestServer on;
  static TestServer off;

  @BeforeAll
  static void start() throws Exception {
    Tools.require("puppet");
    Tools.require("curl");
    Tools.require("openssl");
    on =
        TestServer.builder(dir.resolve("on"))
            .autosign("true")
            .hocon(
                "certificate-authority { allow-auto-renewal: true, auto-renewal-cert-ttl: \"30d\" }")
            .start();
    off = TestServer.builder(dir.resolve("off")).autosign("true").start();
    assertThat(on.tlsEngine()).isEqualTo(TestServer.expectedTlsEngine());
    Files.writeString(on.cadir().resolve("infra_inventory.txt"), "compiler.test\n");
  }

  @AfterAll
  static void stop() {
    if (on != null) {
      on.close();
    }
    if (off != null) {
      off.close();
    }
  }

  /** Bootstraps a real agent; returns its ssldir. */
  static Path agent(TestServer s, String name) throws Exception {
    Path agentDir = dir.resolve(name + "-" + s.port());
    Tools.Result r =
        Tools.run(
            120,
            Tools.puppetSsl(agentDir, s.port(), name, "bootstrap", "--waitforcert", "0")
                .toArray(String[]::new));
    assertThat(r.exitCode()).as(r.output()).isZero();
    return agentDir.resolve("ssl");
  }

  static Tools.Result curl(TestServer s, Path ssl, String name, Path out, String... headers)
      throws Exception {
    return Tools.postRenewal(s.port(), ssl, name, out, headers);
  }

  @Test
  void curlRenewsARealAgentsCertificate() throws Exception {
    Path ssl = agent(on, "renew-e2e.test");
    Path out = dir.resolve("renewed.pem");
    Tools.Result r = curl(on, ssl, "renew-e2e.test", out);
    assertThat(r.output()).isEqualTo("200");
    X509Certificate renewed = Certificates.readCertificates(Files.readString(out)).get(0);
    X509Certificate old =
        Certificates.readCertificates(Files.readString(ssl.resolve("certs/renew-e2e.test.pem")))
            .get(0);
    assertThat(renewed.getSerialNumber()).isNotEqualTo(old.getSerialNumber());
    Tools.Result verify =
        Tools.verifyWithCrls(ssl.resolve("certs/ca.pem"), on.config().store().cacrl(), out);
    assertThat(verify.exitCode()).as(verify.output()).isZero();
    Tools.Result certKey =
        Tools.run(30, "openssl", "x509", "-noout", "-pubkey", "-in", out.toString());
    Tools.Result agentKey =
        Tools.run(
            30,
            "openssl",
            "pkey",
            "-pubout",
            "-in",
            ssl.resolve("private_keys/renew-e2e.test.pem").toString());
    assertThat(certKey.output())
        .as("the agent's existing private key matches the renewed certificate")
        .isEqualTo(agentKey.output());
  }

  @Test
  void curlGets404WhenRenewalIsDisabled() throws Exception {
    Path ssl = agent(off, "no-renew-e2e.test");
    Path out = dir.resolve("off.txt");
    assertThat(curl(off, ssl, "no-renew-e2e.test", out).output()).isEqualTo("404");
    assertThat(Files.readString(out))
        .isEqualTo("certificate-authority.allow-auto-renewal is not enabled.");
  }

  @Test
  void curlThroughAnInfrastructureNodeGets403And400() throws Exception {
    Path compiler = agent(on, "compiler.test");
    Path out = dir.resolve("proxy.txt");
    // 403: a certificate this CA did not sign
    KeyPair k = Keys.rsa(2048);
    X509Certificate otherCa =
        CertBuilder.selfSignedCa(
            "Elsewhere CA",
            k,
            BigInteger.ONE,
            Instant.now().minusSeconds(60),
            Instant.now().plusSeconds(86400));
    X509Certificate foreign =
        TestPki.issue(
            new Issuer(otherCa, k.getPrivate(), List.of(otherCa)),
            "someone",
            TestPki.ecKey(),
            BigInteger.TWO,
            false);
    assertThat(curl(on, compiler, "compiler.test", out, "X-Client-Cert: " + enc(foreign)).output())
        .isEqualTo("403");
    assertThat(Files.readString(out))
        .isEqualTo("Certificate present, but does not match signature");
    // 400: a revoked agent's certificate
    Path revokedAgent = agent(on, "revoked-e2e.test");
    assertThat(
            on.admin()
                .put(
                    "/puppet-ca/v1/certificate_status/revoked-e2e.test",
                    "{\"desired_state\":\"revoked\"}")
                .statusCode())
        .isEqualTo(204);
    X509Certificate revoked =
        Certificates.readCertificates(
                Files.readString(revokedAgent.resolve("certs/revoked-e2e.test.pem")))
            .get(0);
    assertThat(curl(on, compiler, "compiler.test", out, "X-Client-Cert: " + enc(revoked)).output())
        .isEqualTo("400");
    assertThat(Files.readString(out)).isEqualTo("No valid certificate found in renewal request");
  }

  static String enc(X509Certificate c) {
    return URLEncoder.encode(Pem.encode(c), StandardCharsets.UTF_8).replace("+", "%20");
  }
}
