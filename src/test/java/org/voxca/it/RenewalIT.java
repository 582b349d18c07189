package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.pki.CertBuilder;
import org.voxca.pki.Certificates;
import org.voxca.pki.Issuer;
import org.voxca.pki.KeyIds;
import org.voxca.pki.Keys;
import org.voxca.pki.Pem;
import org.voxca.testing.TestClient;
import org.voxca.testing.TestPki;
import org.voxca.testing.TestServer;

/** POST certificate_renewal over mutual TLS, as the renewal seed describes it. */
class RenewalIT {
  static final String PATH = "/puppet-ca/v1/certificate_renewal";
  @TempDir static Path dir;
  static TestServer server; // auto-renewal on, 60d
  static TestServer off; // auto-renewal off
  static TestServer headers; // auto-renewal on, allow-header-cert-info

  @BeforeAll
  static void start() throws Exception {
    server =
        TestServer.builder(dir.resolve("on"))
            .autosign("true")
            .hocon(
                "certificate-authority { allow-auto-renewal: true, auto-renewal-cert-ttl: \"60d\" }")
            .start();
    off = TestServer.builder(dir.resolve("off")).autosign("true").start();
    headers =
        TestServer.builder(dir.resolve("headers"))
            .autosign("true")
            .hocon(
                "certificate-authority { allow-auto-renewal: true }\nauthorization { allow-header-cert-info: true }")
            .start();
    Files.writeString(server.cadir().resolve("infra_inventory.txt"), "compiler.test\n");
  }

  @AfterAll
  static void stop() {
    server.close();
    off.close();
    headers.close();
  }

  record Agent(X509Certificate cert, KeyPair key, TestClient client) {}

  /** Bootstraps {@code name} through the API (autosigned), returning a client with its cert. */
  static Agent bootstrap(TestServer s, String name, TestPki.CsrSpec csr) {
    KeyPair key = TestPki.freshEcKey();
    HttpResponse<String> put =
        s.anonymous().put("/puppet-ca/v1/certificate_request/" + name, csr.key(key).pem());
    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    X509Certificate cert =
        Certificates.readCertificates(s.anonymous().get("/puppet-ca/v1/certificate/" + name).body())
            .get(0);
    return new Agent(cert, key, s.client(cert, key.getPrivate()));
  }

  static X509Certificate pem(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain");
    return Certificates.readCertificates(r.body()).get(0);
  }

  @Test
  void renewsSameSubjectAndKeyWithTheTtlAndCopiedExtensions() throws Exception {
    Agent a =
        bootstrap(
            server,
            "renew-me",
            TestPki.csr("renew-me")
                .dns("renew-me")
                .extension("1.3.6.1.4.1.34380.1.1.13", false, "webserver")
                .extension("1.3.6.1.4.1.34380.1.2.7", false, "x"));
    Instant before = Instant.now();
    X509Certificate n =
        pem(
            a.client()
                .send(
                    "POST",
                    PATH,
                    "ignored body",
                    "Content-Type",
                    "text/plain",
                    "Accept",
                    "text/plain"));

    assertThat(n.getSubjectX500Principal()).isEqualTo(a.cert().getSubjectX500Principal());
    assertThat(n.getPublicKey().getEncoded()).isEqualTo(a.key().getPublic().getEncoded());
    assertThat(n.getSerialNumber()).isNotEqualTo(a.cert().getSerialNumber());
    n.verify(server.issuer().certificate().getPublicKey());
    assertThat(Duration.between(before, n.getNotAfter().toInstant()).toHours())
        .isBetween(60 * 24L - 1, 60 * 24L);
    assertThat(Duration.between(n.getNotBefore().toInstant(), before).toHours())
        .isBetween(23L, 24L);
    assertThat(n.getCriticalExtensionOIDs()).isEqualTo(a.cert().getCriticalExtensionOIDs());
    assertThat(n.getNonCriticalExtensionOIDs()).isEqualTo(a.cert().getNonCriticalExtensionOIDs());
    for (String oid :
        new String[] {
          "1.3.6.1.4.1.34380.1.1.13", "1.3.6.1.4.1.34380.1.2.7", "2.5.29.17", "2.5.29.37"
        }) {
      assertThat(n.getExtensionValue(oid)).as(oid).isEqualTo(a.cert().getExtensionValue(oid));
    }
    assertThat(KeyIds.authorityKeyIdOf(n))
        .isEqualTo(KeyIds.subjectKeyIdOf(server.issuer().certificate()));
    assertThat(KeyIds.subjectKeyIdOf(n)).isEqualTo(KeyIds.subjectKeyIdOf(a.cert()));

    // recorded: signed/ holds the new one, the inventory both; the old one is not revoked
    assertThat(Files.readString(server.config().store().signeddir().resolve("renew-me.pem")))
        .isEqualTo(Pem.encode(n));
    String inv = Files.readString(server.config().store().inventory());
    assertThat(inv)
        .contains(
            String.format("0x%04X ", a.cert().getSerialNumber()),
            String.format("0x%04X ", n.getSerialNumber()));
    assertThat(server.server.ca().isRevoked(a.cert().getSerialNumber())).isFalse();
    // and the renewed certificate works as a client certificate
    TestClient renewed = server.client(n, a.key().getPrivate());
    assertThat(pem(renewed.send("POST", PATH, null)).getSerialNumber())
        .isGreaterThan(n.getSerialNumber());
  }

  @Test
  void disabledIs404WithTheSeedText() {
    Agent a = bootstrap(off, "no-renewal", TestPki.csr("no-renewal"));
    HttpResponse<String> r = a.client().send("POST", PATH, null);
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).isEqualTo("certificate-authority.allow-auto-renewal is not enabled.");
  }

  @Test
  void unauthenticatedIsRefused() {
    assertThat(server.anonymous().send("POST", PATH, null).statusCode()).isEqualTo(403);
  }

  @Test
  void autoRenewCsrsGetTheShortTtl() {
    Agent a = bootstrap(server, "short-lived", TestPki.csr("short-lived").autoRenew());
    long days = Duration.between(Instant.now(), a.cert().getNotAfter().toInstant()).toDays();
    assertThat(days).isBetween(59L, 60L);
    Agent b = bootstrap(server, "long-lived", TestPki.csr("long-lived"));
    assertThat(Duration.between(Instant.now(), b.cert().getNotAfter().toInstant()).toDays())
        .isGreaterThan(1000);
  }

  @Test
  void aRevokedCertificateIsNeverRenewed() {
    Agent a = bootstrap(server, "revoked-renewal", TestPki.csr("revoked-renewal"));
    assertThat(
            server
                .admin()
                .put(
                    "/puppet-ca/v1/certificate_status/revoked-renewal",
                    "{\"desired_state\":\"revoked\"}")
                .statusCode())
        .isEqualTo(204);
    HttpResponse<String> r;
    try {
      r = a.client().send("POST", PATH, null);
      assertThat(r.statusCode()).isIn(400, 403);
    } catch (RuntimeException tlsRefused) {
      // refused at the TLS handshake: equally never renewed
    }
    assertThat(Files.exists(server.config().store().signeddir().resolve("revoked-renewal.pem")))
        .isTrue();
  }

  @Test
  void aCertificateWhoseKeyTheCaNoLongerHoldsIsNotRenewed() {
    Agent a = bootstrap(server, "rekeyed", TestPki.csr("rekeyed"));
    // the operator cleaned the node and it bootstrapped again with a new key
    X509Certificate other =
        TestPki.issue(
            server.issuer(), "rekeyed", TestPki.freshEcKey(), BigInteger.valueOf(999_999), false);
    try {
      Files.writeString(
          server.config().store().signeddir().resolve("rekeyed.pem"), Pem.encode(other));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    HttpResponse<String> r = a.client().send("POST", PATH, null);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).isEqualTo("No valid certificate found in renewal request");
  }

  @Test
  void concurrentRenewalsGiveDistinctSerialsAndKeepTheLaterOne() throws Exception {
    Agent a = bootstrap(server, "twins", TestPki.csr("twins"));
    List<CompletableFuture<HttpResponse<String>>> fs = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      TestClient c = server.client(a.cert(), a.key().getPrivate());
      fs.add(CompletableFuture.supplyAsync(() -> c.send("POST", PATH, null)));
    }
    List<BigInteger> serials = new ArrayList<>();
    for (var f : fs) {
      serials.add(pem(f.get()).getSerialNumber());
    }
    assertThat(serials).doesNotHaveDuplicates();
    X509Certificate kept =
        Certificates.readCertificates(
                Files.readString(server.config().store().signeddir().resolve("twins.pem")))
            .get(0);
    assertThat(kept.getSerialNumber())
        .isEqualTo(serials.stream().max(BigInteger::compareTo).orElseThrow());
    String inv = Files.readString(server.config().store().inventory());
    serials.forEach(s -> assertThat(inv).contains(String.format("0x%04X ", s)));
  }

  @Test
  void aRenewalRacingARevocationNeverYieldsAnUnrevokedCertificate() throws Exception {
    for (int round = 0; round < 5; round++) {
      String name = "race-" + round;
      Agent a = bootstrap(server, name, TestPki.csr(name));
      TestClient admin = server.admin();
      var renewal =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return a.client().send("POST", PATH, null);
                } catch (RuntimeException e) {
                  return null; // refused at TLS: revoked first
                }
              });
      var revoke =
          CompletableFuture.supplyAsync(
              () ->
                  admin.put(
                      "/puppet-ca/v1/certificate_status/" + name,
                      "{\"desired_state\":\"revoked\"}"));
      assertThat(revoke.get().statusCode()).isEqualTo(204);
      HttpResponse<String> r = renewal.get();
      if (r != null && r.statusCode() == 200) {
        BigInteger s = Certificates.readCertificates(r.body()).get(0).getSerialNumber();
        assertThat(server.server.ca().isRevoked(s))
            .as("renewed serial %s of %s must be on the CRL", s, name)
            .isTrue();
      }
      assertThat(server.server.ca().isRevoked(a.cert().getSerialNumber())).isTrue();
    }
  }

  @Test
  void proxiedRenewalFromAnInfrastructureNode() {
    Agent agent = bootstrap(server, "behind-compiler", TestPki.csr("behind-compiler"));
    Agent compiler = bootstrap(server, "compiler.test", TestPki.csr("compiler.test"));
    Agent stranger = bootstrap(server, "stranger.test", TestPki.csr("stranger.test"));
    String header = enc(agent.cert());
    X509Certificate viaCompiler =
        pem(compiler.client().send("POST", PATH, null, "X-Client-Cert", header));
    assertThat(Certificates.commonName(viaCompiler)).isEqualTo("behind-compiler");
    X509Certificate viaStranger =
        pem(stranger.client().send("POST", PATH, null, "X-Client-Cert", header));
    assertThat(Certificates.commonName(viaStranger))
        .as("a non-infra client's header is ignored")
        .isEqualTo("stranger.test");
  }

  @Test
  void headerModeTakesTheCertificateFromXClientCert() {
    Agent a = bootstrap(headers, "header-agent", TestPki.csr("header-agent"));
    String enc = enc(a.cert());
    TestClient anon = headers.anonymous();
    String[] auth = {"X-Client-Verify", "SUCCESS", "X-Client-DN", "CN=header-agent"};
    X509Certificate n = pem(anon.send("POST", PATH, null, concat(auth, "X-Client-Cert", enc)));
    assertThat(Certificates.commonName(n)).isEqualTo("header-agent");

    HttpResponse<String> none = anon.send("POST", PATH, null, auth);
    assertThat(none.statusCode()).isEqualTo(400);
    assertThat(none.body()).isEqualTo("No valid certificate found in renewal request");
    HttpResponse<String> two =
        anon.send("POST", PATH, null, concat(auth, "X-Client-Cert", enc + enc));
    assertThat(two.statusCode()).isEqualTo(400);
    assertThat(two.body()).isEqualTo("Only 1 PEM should be supplied for x-client-cert but 2 found");
    HttpResponse<String> garbage =
        anon.send("POST", PATH, null, concat(auth, "X-Client-Cert", "%zz"));
    assertThat(garbage.statusCode()).isEqualTo(400);
    assertThat(garbage.body()).startsWith("Unable to URL decode the x-client-cert header: ");
    HttpResponse<String> empty =
        anon.send("POST", PATH, null, concat(auth, "X-Client-Cert", "hello"));
    assertThat(empty.statusCode()).isEqualTo(400);
    assertThat(empty.body()).isEqualTo("No certs found in PEM read from x-client-cert");

    // a certificate from another CA: the header identity is refused (voxca, stricter than
    // Puppet: an X-Client-Cert must verify against this CA), and the renewal gets the CA's own 403
    KeyPair otherKey = Keys.rsa(2048);
    X509Certificate otherCa =
        CertBuilder.selfSignedCa(
            "Other CA",
            otherKey,
            BigInteger.ONE,
            Instant.now().minusSeconds(60),
            Instant.now().plusSeconds(86400));
    X509Certificate foreign =
        TestPki.issue(
            new Issuer(otherCa, otherKey.getPrivate(), List.of(otherCa)),
            "header-agent",
            a.key(),
            BigInteger.TEN,
            false);
    HttpResponse<String> forbidden =
        anon.send("POST", PATH, null, concat(auth, "X-Client-Cert", enc(foreign)));
    assertThat(forbidden.statusCode()).isEqualTo(403);
    assertThat(forbidden.body()).isEqualTo("Certificate present, but does not match signature");

    // an expired certificate from this CA: refused as well, 400 as for any expired certificate
    X509Certificate expired =
        CertBuilder.leaf(
            headers.issuer(),
            new CertBuilder.Leaf(
                "header-agent",
                SubjectPublicKeyInfo.getInstance(a.key().getPublic().getEncoded()),
                BigInteger.valueOf(777),
                Instant.now().minusSeconds(7200),
                Instant.now().minusSeconds(3600),
                CertBuilder.serverAltNames("header-agent", List.of("header-agent")),
                false,
                List.of(),
                false));
    HttpResponse<String> old =
        anon.send("POST", PATH, null, concat(auth, "X-Client-Cert", enc(expired)));
    assertThat(old.statusCode()).isEqualTo(400);
    assertThat(old.body()).isEqualTo("No valid certificate found in renewal request");
    // the refused header certificate authenticates nothing else: auth.conf's 403 elsewhere
    assertThat(
            anon.send(
                    "GET",
                    "/puppet-ca/v1/certificate_statuses/any",
                    null,
                    concat(auth, "X-Client-Cert", enc(foreign)))
                .statusCode())
        .isEqualTo(403);
    // without X-Client-Verify the header client is unauthenticated
    assertThat(anon.send("POST", PATH, null, "X-Client-Cert", enc).statusCode()).isEqualTo(403);
  }

  @Test
  void headerIdentityDecidesAccessOnlyInHeaderMode() throws Exception {
    X509Certificate adminCert =
        Certificates.readCertificates(Files.readString(headers.config().ssl().hostcert())).get(0);
    String enc = enc(adminCert);
    TestClient anon = headers.anonymous();
    String path = "/puppet-ca/v1/certificate_statuses/any";
    assertThat(
            anon.get(
                    path,
                    "X-Client-Verify",
                    "SUCCESS",
                    "X-Client-DN",
                    "CN=voxca.test",
                    "X-Client-Cert",
                    enc)
                .statusCode())
        .isEqualTo(200);
    assertThat(
            anon.get(
                    path,
                    "X-Client-Verify",
                    "SUCCESS",
                    "X-Client-DN",
                    "/O=Example/CN=voxca.test",
                    "X-Client-Cert",
                    enc)
                .statusCode())
        .isEqualTo(200);
    assertThat(
            anon.get(
                    path,
                    "X-Client-Verify",
                    "NONE",
                    "X-Client-DN",
                    "CN=voxca.test",
                    "X-Client-Cert",
                    enc)
                .statusCode())
        .isEqualTo(403);
    assertThat(
            anon.get(path, "X-Client-Verify", "SUCCESS", "X-Client-DN", "CN=voxca.test")
                .statusCode())
        .as("no certificate, no extensions")
        .isEqualTo(403);
    // the same headers on a server without allow-header-cert-info are ignored
    assertThat(
            server
                .anonymous()
                .get(
                    path,
                    "X-Client-Verify",
                    "SUCCESS",
                    "X-Client-DN",
                    "CN=voxca.test",
                    "X-Client-Cert",
                    enc)
                .statusCode())
        .isEqualTo(403);
  }

  /** Percent-encoding as proxies send it: spaces as %20 ('+' would stay literal). */
  static String enc(X509Certificate c) {
    return URLEncoder.encode(Pem.encode(c), StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
