package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.voxca.pki.Pem;
import org.voxca.testing.TestClient;
import org.voxca.testing.TestPki;
import org.voxca.testing.TestServer;

/** Hostile bodies and names: a clear 4xx, never a 500, and nothing written to the CA directory. */
class BadInputIT {
  @TempDir static Path dir;
  static TestServer server;
  static TestClient anon;
  static TestClient admin;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.builder(dir).autosign("true").start();
    anon = server.anonymous();
    admin = server.admin();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static Stream<Arguments> badBodies() {
    String csr = TestPki.csr("bad-body").pem();
    String cert = Pem.encode(server.issuer().certificate());
    String b64 = csr.substring(csr.indexOf('\n') + 1, csr.lastIndexOf("-----END"));
    char[] flipped = csr.toCharArray();
    flipped[csr.length() / 2] = flipped[csr.length() / 2] == 'A' ? 'B' : 'A';
    return Stream.of(
        Arguments.of("empty", ""),
        Arguments.of("not PEM", "hello, I am a CSR"),
        Arguments.of("truncated", csr.substring(0, csr.length() / 2)),
        Arguments.of("no END line", csr.replace("-----END CERTIFICATE REQUEST-----", "")),
        Arguments.of(
            "bad base64",
            "-----BEGIN CERTIFICATE REQUEST-----\n!!!!\n-----END CERTIFICATE REQUEST-----\n"),
        Arguments.of("bit flipped", new String(flipped)),
        Arguments.of("two CSRs", csr + csr),
        Arguments.of("a certificate", cert),
        Arguments.of(
            "DER garbage in PEM",
            "-----BEGIN CERTIFICATE REQUEST-----\nAAAAAAAA\n-----END CERTIFICATE REQUEST-----\n"),
        Arguments.of("base64 only", b64),
        Arguments.of(
            "binary",
            new String(
                new byte[] {0, 1, 2, (byte) 0xff, 0x30, (byte) 0x82},
                StandardCharsets.ISO_8859_1)));
  }

  @ParameterizedTest(name = "400/{0}")
  @MethodSource("badBodies")
  void badCsrBodiesAre400AndWriteNothing(String caseName, String body) throws IOException {
    List<Path> before = files();
    HttpResponse<String> r = anon.put("/puppet-ca/v1/certificate_request/bad-body", body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(r.body()).doesNotContain("\n").isNotBlank();
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
    assertThat(files()).isEqualTo(before);
  }

  @Test
  void oversizedBodyIs413() throws IOException {
    List<Path> before = files();
    String big = "A".repeat(1024 * 1024 + 10);
    HttpResponse<String> r = anon.put("/puppet-ca/v1/certificate_request/big", big);
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(files()).isEqualTo(before);
  }

  static Stream<Arguments> badNames() {
    return Stream.of(
        Arguments.of("dot dot", "/puppet-ca/v1/certificate/..", 400),
        Arguments.of("encoded dot dot", "/puppet-ca/v1/certificate/%2e%2e", 400),
        Arguments.of("dot dot escape", "/puppet-ca/v1/certificate/../../../etc/passwd", 400),
        Arguments.of("encoded slash", "/puppet-ca/v1/certificate/a%2Fb", 400),
        Arguments.of(
            "encoded slash escape", "/puppet-ca/v1/certificate_request/..%2F..%2Fca_key", 400),
        Arguments.of("NUL", "/puppet-ca/v1/certificate/a%00b", 400),
        Arguments.of("space", "/puppet-ca/v1/certificate/a%20b", 400),
        Arguments.of("upper case", "/puppet-ca/v1/certificate/Agent", 400),
        Arguments.of("leading dot", "/puppet-ca/v1/certificate/.hidden", 400),
        Arguments.of("semicolon parameter", "/puppet-ca/v1/certificate/;jsessionid=x/..", 400),
        Arguments.of("trailing slash", "/puppet-ca/v1/certificate/agent/", 404),
        Arguments.of("empty name", "/puppet-ca/v1/certificate/", 404));
  }

  @ParameterizedTest(name = "{2}/{0}")
  @MethodSource("badNames")
  void badNamesAreRefusedWithoutTouchingFiles(String caseName, String path, int status)
      throws IOException {
    List<Path> before = files();
    HttpResponse<String> get = anon.get(path);
    assertThat(get.statusCode()).as(get.body()).isEqualTo(status);
    assertThat(get.body()).doesNotContain("BEGIN");
    String putPath = path.replace("/certificate/", "/certificate_request/");
    HttpResponse<String> put = server.anonymous().put(putPath, TestPki.csr("agent").pem());
    assertThat(put.statusCode()).as(putPath + " " + put.body()).isBetween(400, 499);
    assertThat(files()).isEqualTo(before);
  }

  @Test
  void upperCaseLookupSaysLowerCase() {
    HttpResponse<String> r = anon.get("/puppet-ca/v1/certificate_request/Agent");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).isEqualTo("Certificate names must be lower case.");
  }

  @Test
  void unknownPathsAndMethodsAreNeverA500() {
    assertThat(anon.get("/nowhere").statusCode()).isEqualTo(403);
    assertThat(admin.get("/puppet-ca/v1/nowhere").statusCode()).isEqualTo(403);
    assertThat(anon.send("POST", "/puppet-ca/v1/certificate/ca", "x").statusCode()).isEqualTo(403);
    HttpResponse<String> r = anon.get("/puppet-ca/v1/certificate_statuses/x");
    assertThat(r.statusCode()).isEqualTo(403);
  }

  @Test
  void badCertificateStatusBodies() {
    String url = "/puppet-ca/v1/certificate_status/nobody";
    assertThat(admin.put(url, "").body()).isEqualTo("Empty request body.");
    assertThat(admin.put(url, "{not json").body()).isEqualTo("Request body is not JSON.");
    assertThat(admin.put(url, "{}").body())
        .isEqualTo("Missing required parameter \"desired_state\"");
    HttpResponse<String> bad = admin.put(url, "{\"desired_state\":\"bogus\"}");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body())
        .isEqualTo(
            "State bogus invalid; Must specify desired state of 'signed' or 'revoked' for host nobody.");
    assertThat(admin.put(url, "{\"desired_state\":\"signed\",\"cert_ttl\":\"1d\"}").body())
        .isEqualTo("cert_ttl specified for host nobody must be an integer, not \"1d\"");
    HttpResponse<String> negative =
        admin.put(url, "{\"desired_state\":\"signed\",\"cert_ttl\":-5}");
    assertThat(negative.statusCode()).isEqualTo(400);
    assertThat(negative.body()).contains("must be greater than zero");
    HttpResponse<String> unknown = admin.put(url, "{\"desired_state\":\"signed\"}");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).isEqualTo("Invalid certificate subject.");
    HttpResponse<String> media =
        admin.put(url, "{\"desired_state\":\"signed\"}", "Content-Type", "text/plain");
    assertThat(media.statusCode()).isEqualTo(415);
    assertThat(media.body()).isEqualTo("Unsupported media type.");
    HttpResponse<String> accept =
        admin.put(url, "{\"desired_state\":\"signed\"}", "Accept", "text/plain");
    assertThat(accept.statusCode()).isEqualTo(406);
    assertThat(accept.body()).isEqualTo("No acceptable resource available.");
  }

  private static List<Path> files() throws IOException {
    try (Stream<Path> s = Files.walk(server.root)) {
      return s.filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().equals(".voxca.lock"))
          .sorted()
          .toList();
    }
  }
}
