package org.voxca.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.pki.Certificates;
import org.voxca.pki.Pem;
import org.voxca.testing.TestClient;
import org.voxca.testing.TestPki;
import org.voxca.testing.TestServer;

/**
 * The OCSP responder read by {@code openssl ocsp} (a client nobody here wrote): it builds each
 * request and verifies each response (signature by the CA, nonce) for good, revoked and unknown
 * certificates, and reads a malformed request's answer.
 */
class OcspE2EIT {
  @TempDir static Path dir;
  static TestServer server;
  static HttpClient http;
  static Path caFile;

  @BeforeAll
  static void start() throws Exception {
    Tools.require("openssl");
    server = TestServer.builder(dir.resolve("server")).autosign("true").start();
    http =
        HttpClient.newBuilder()
            .sslContext(TestClient.sslContext(server.caBundle(), null, null))
            .build();
    caFile = Files.writeString(dir.resolve("ca.pem"), Pem.encode(server.issuer().certificate()));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static Path agent(String name) throws Exception {
    assertThat(
            server
                .anonymous()
                .put("/puppet-ca/v1/certificate_request/" + name, TestPki.csr(name).pem())
                .statusCode())
        .isEqualTo(200);
    return Files.writeString(
        dir.resolve(name + ".pem"),
        server.anonymous().get("/puppet-ca/v1/certificate/" + name).body());
  }

  private static byte[] post(byte[] request) throws Exception {
    HttpResponse<byte[]> r =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("https://127.0.0.1:" + server.port() + "/puppet-ca/v1/ocsp"))
                .header("Content-Type", "application/ocsp-request")
                .POST(HttpRequest.BodyPublishers.ofByteArray(request))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/ocsp-response");
    return r.body();
  }

  /**
   * openssl makes the request (with a nonce), voxca answers, openssl verifies the signature and
   * prints the answer; the nonce echo is checked here (openssl's own check wants the request
   * again).
   */
  private static String ask(Path cert) throws Exception {
    Path req = dir.resolve(cert.getFileName() + ".req");
    Tools.Result made =
        Tools.run(
            30,
            "openssl",
            "ocsp",
            "-issuer",
            caFile.toString(),
            "-cert",
            cert.toString(),
            "-reqout",
            req.toString());
    assertThat(made.exitCode()).as(made.output()).isZero();
    byte[] response = post(Files.readAllBytes(req));
    var nonce = org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers.id_pkix_ocsp_nonce;
    var asked = new org.bouncycastle.cert.ocsp.OCSPReq(Files.readAllBytes(req)).getExtension(nonce);
    var echoed =
        ((org.bouncycastle.cert.ocsp.BasicOCSPResp)
                new org.bouncycastle.cert.ocsp.OCSPResp(response).getResponseObject())
            .getExtension(nonce);
    assertThat(asked).isNotNull();
    assertThat(echoed).as("the nonce is echoed").isEqualTo(asked);
    Path resp = Files.write(dir.resolve(cert.getFileName() + ".resp"), response);
    return checkResponse(caFile, cert, resp);
  }

  @Test
  void goodRevokedUnknownAndMalformed() throws Exception {
    Path good = agent("good.ocsp.test");
    Path revoked = agent("revoked.ocsp.test");
    assertThat(
            server
                .admin()
                .put(
                    "/puppet-ca/v1/certificate_status/revoked.ocsp.test",
                    "{\"desired_state\":\"revoked\"}")
                .statusCode())
        .isEqualTo(204);
    X509Certificate stranger =
        TestPki.issue(
            server.issuer(),
            "stranger.ocsp.test",
            TestPki.ecKey(),
            BigInteger.valueOf(987_654_321L),
            false);
    Path unknown = Files.writeString(dir.resolve("stranger.pem"), Pem.encode(stranger));

    String g = ask(good);
    assertThat(g).contains("Response verify OK").contains(good + ": good");
    // signed by the delegated responder, whose certificate openssl checked against the CA bundle
    Path goodResp = dir.resolve(good.getFileName() + ".resp");
    String text =
        Tools.run(30, "openssl", "ocsp", "-respin", goodResp.toString(), "-resp_text", "-noverify")
            .output();
    assertThat(text).contains("OCSP Signing").contains("OCSP No Check").contains("OCSP responder");
    String r = ask(revoked);
    assertThat(r)
        .contains("Response verify OK")
        .contains(revoked + ": revoked")
        .contains("Revocation Time:");
    String u = ask(unknown);
    assertThat(u).contains("Response verify OK").contains(unknown + ": unknown");

    Path bad = Files.write(dir.resolve("bad.resp"), post("not an OCSP request".getBytes()));
    assertThat(Tools.run(30, "openssl", "ocsp", "-respin", bad.toString(), "-resp_text").output())
        .containsIgnoringCase("malformedrequest");
  }

  @Test
  void anOcspUrlIsNamedInNewCertificatesOnlyWhenConfigured() throws Exception {
    Tools.Result none =
        Tools.run(
            30,
            "openssl",
            "x509",
            "-noout",
            "-ocsp_uri",
            "-in",
            agent("plain.ocsp.test").toString());
    assertThat(none.output().trim()).isEmpty();
    try (TestServer withUrl =
        TestServer.builder(dir.resolve("with-url"))
            .autosign("true")
            .hocon("voxca { ocsp-url: \"https://ca.example:8140/puppet-ca/v1/ocsp\" }")
            .start()) {
      String name = "aia.ocsp.test";
      assertThat(
              withUrl
                  .anonymous()
                  .put("/puppet-ca/v1/certificate_request/" + name, TestPki.csr(name).pem())
                  .statusCode())
          .isEqualTo(200);
      Path cert =
          Files.writeString(
              dir.resolve("aia.pem"),
              withUrl.anonymous().get("/puppet-ca/v1/certificate/" + name).body());
      Tools.Result uri =
          Tools.run(30, "openssl", "x509", "-noout", "-ocsp_uri", "-in", cert.toString());
      assertThat(uri.output().trim()).isEqualTo("https://ca.example:8140/puppet-ca/v1/ocsp");
    }
  }

  @Test
  void getWithTheRequestInThePath() throws Exception {
    Path cert = agent("get.ocsp.test");
    Path req = dir.resolve("get.req");
    assertThat(
            Tools.run(
                    30,
                    "openssl",
                    "ocsp",
                    "-issuer",
                    caFile.toString(),
                    "-cert",
                    cert.toString(),
                    "-no_nonce",
                    "-reqout",
                    req.toString())
                .exitCode())
        .isZero();
    String b64 = Base64.getEncoder().encodeToString(Files.readAllBytes(req));
    String path = "/puppet-ca/v1/ocsp/" + URLEncoder.encode(b64, StandardCharsets.UTF_8);
    HttpResponse<byte[]> r =
        http.send(
            HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + path))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    Path resp = Files.write(dir.resolve("get.resp"), r.body());
    assertThat(checkResponse(caFile, cert, resp))
        .contains("Response verify OK")
        .contains(cert + ": good");
    assertThat(Certificates.readCertificates(Files.readString(cert))).hasSize(1);
  }

  /** {@code openssl ocsp} reading a saved response for {@code cert}: its verdict and status. */
  private static String checkResponse(Path caFile, Path cert, Path resp) throws Exception {
    return Tools.run(
            30,
            "openssl",
            "ocsp",
            "-issuer",
            caFile.toString(),
            "-cert",
            cert.toString(),
            "-respin",
            resp.toString(),
            "-CAfile",
            caFile.toString(),
            "-no_nonce")
        .output();
  }
}
