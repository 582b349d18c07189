package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.voxca.testing.HostileCsrs;
import org.voxca.testing.LogCapture;
import org.voxca.testing.RawTls;
import org.voxca.testing.TestClient;
import org.voxca.testing.TestPki;
import org.voxca.testing.TestServer;

/**
 * Input an attacker sends, through HTTPS to a server with autosign on: each is refused with a 4xx
 * naming the problem (never a 500), nothing is stored, and the server's own names cannot be
 * claimed, revoked or cleaned.
 */
class HostileInputIT {
  private static final String CSR = "/puppet-ca/v1/certificate_request/";
  @TempDir static Path dir;
  static TestServer server;
  static TestClient anon;
  static TestClient admin;

  @BeforeAll
  static void start() throws Exception {
    server =
        TestServer.builder(dir)
            .autosign("true")
            .setting("dns_alt_names", "puppet,localhost,IP:127.0.0.1")
            .start();
    anon = server.anonymous();
    admin = server.admin();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static List<Path> stored() throws IOException {
    try (Stream<Path> s =
        Stream.concat(
            Files.list(server.config().store().csrdir()),
            Files.list(server.config().store().signeddir()))) {
      return s.sorted().toList();
    }
  }

  static Stream<Arguments> hostileCsrs() throws Exception {
    return HostileCsrs.all("hostile.test").entrySet().stream()
        .map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileCsrs")
  void hostileCsrsAre400AndStoreNothing(String what, String pem) throws IOException {
    List<Path> before = stored();
    HttpResponse<String> r = anon.put(CSR + "hostile.test", pem);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(r.body()).startsWith("Invalid certificate request: ").doesNotContain("\n");
    assertThat(stored()).isEqualTo(before);
  }

  @Test
  void aCsrAskingToBeACaIsNeverSigned() throws Exception {
    HttpResponse<String> r =
        anon.put(CSR + "wannabe-ca.test", HostileCsrs.caRequest("wannabe-ca.test"));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).isEqualTo("Found extensions that are not permitted: 2.5.29.19");
    assertThat(anon.get("/puppet-ca/v1/certificate/wannabe-ca.test").statusCode()).isEqualTo(404);
  }

  @Test
  void namesPastDnsLengthsAre400OnEveryEndpoint() {
    String longName = "a".repeat(300) + ".test";
    String longLabel = "b".repeat(64) + ".test";
    for (String name : List.of(longName, longLabel)) {
      assertThat(anon.get("/puppet-ca/v1/certificate/" + name).statusCode()).isEqualTo(400);
      assertThat(anon.get(CSR + name).statusCode()).isEqualTo(400);
      assertThat(anon.put(CSR + name, TestPki.csr(name).pem()).statusCode()).isEqualTo(400);
      assertThat(admin.get("/puppet-ca/v1/certificate_status/" + name).statusCode()).isEqualTo(400);
      assertThat(admin.delete("/puppet-ca/v1/certificate_status/" + name).statusCode())
          .isEqualTo(400);
    }
  }

  @Test
  void theServersOwnNamesAreNeverAutosigned() throws Exception {
    // its certname with a trailing dot: not a valid name at all
    HttpResponse<String> dot = anon.put(CSR + "voxca.test.", TestPki.csr("voxca.test.").pem());
    assertThat(dot.statusCode()).isEqualTo(400);
    // one of its alt names (the agents' default server name): pending, not signed
    assertThat(anon.put(CSR + "puppet", TestPki.csr("puppet").pem()).statusCode()).isEqualTo(200);
    assertThat(anon.get("/puppet-ca/v1/certificate/puppet").statusCode()).isEqualTo(404);
    assertThat(server.config().store().csrdir().resolve("puppet.pem")).exists();
    // an operator may still sign it on purpose
    HttpResponse<String> signed =
        admin.put("/puppet-ca/v1/certificate_status/puppet", "{\"desired_state\":\"signed\"}");
    assertThat(signed.statusCode()).as(signed.body()).isEqualTo(204);
  }

  @Test
  void aCsrCarryingTheServersNameAsAnAltNameIsNeverAutosigned() throws Exception {
    String pem = HostileCsrs.withDnsAltNames("sneaky.test", "sneaky.test", "localhost");
    HttpResponse<String> r = anon.put(CSR + "sneaky.test", pem);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(anon.get("/puppet-ca/v1/certificate/sneaky.test").statusCode()).isEqualTo(404);
  }

  @Test
  void theServersOwnCertificateCannotBeRevokedOrCleanedThroughTheApi() {
    HttpResponse<String> revoke =
        admin.put("/puppet-ca/v1/certificate_status/voxca.test", "{\"desired_state\":\"revoked\"}");
    assertThat(revoke.statusCode()).isEqualTo(409);
    assertThat(revoke.body())
        .contains("cannot be revoked or cleaned through the API", "stop voxca");
    HttpResponse<String> clean =
        admin.put("/puppet-ca/v1/clean", "{\"certnames\":[\"voxca.test\"]}");
    assertThat(clean.statusCode()).isEqualTo(409);
    assertThat(admin.delete("/puppet-ca/v1/certificate_status/voxca.test").statusCode())
        .isEqualTo(409);
    assertThat(server.config().store().signeddir().resolve("voxca.test.pem")).exists();
    assertThat(admin.get("/puppet-ca/v1/certificate_status/voxca.test").body())
        .contains("\"state\":\"signed\"");
  }

  @Test
  void certTtlIsBoundedByTheCaNeverOverflowing() {
    // "localhost" is one of the server's alt names: its CSR stays pending under autosign
    assertThat(anon.put(CSR + "localhost", TestPki.csr("localhost").pem()).statusCode())
        .isEqualTo(200);
    for (String ttl : List.of("9223372036854775807", "315360000")) {
      HttpResponse<String> r =
          admin.put(
              "/puppet-ca/v1/certificate_status/localhost",
              "{\"desired_state\":\"signed\",\"cert_ttl\":" + ttl + "}");
      assertThat(r.statusCode()).as(ttl).isEqualTo(400);
      assertThat(r.body()).startsWith("cert_ttl specified for host localhost must be at most ");
    }
    assertThat(server.config().store().csrdir().resolve("localhost.pem")).exists();
    HttpResponse<String> ok =
        admin.put(
            "/puppet-ca/v1/certificate_status/localhost",
            "{\"desired_state\":\"signed\",\"cert_ttl\":3600}");
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(204);
  }

  @Test
  @Timeout(20)
  void aBacktrackingGlobCannotStallTheServer() {
    String longName = String.join(".", "a".repeat(63), "a".repeat(63), "a".repeat(63), "test");
    assertThat(anon.put(CSR + longName, TestPki.csr(longName).pem()).statusCode()).isEqualTo(200);
    long t0 = System.nanoTime();
    HttpResponse<String> r =
        admin.get("/puppet-ca/v1/certificate_statuses/x?name=*a*a*a*a*a*a*a*a*a*a*a*a*b");
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("[]");
    System.out.printf("[hostile] 13-star glob against a 196-character name: %d ms%n", ms);
  }

  @Test
  void brokenFramingAbortedUploadsAndHttp09AreClientErrorsWithoutStackTraces() throws Exception {
    try (LogCapture log = new LogCapture()) {
      try (RawTls t = RawTls.open(server.port(), server.caBundle(), null)) {
        t.write(
            "PUT "
                + CSR
                + "framing.test HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                + "Content-Type: text/plain\r\n\r\nZZZ\r\nnot a chunk\r\n");
        String answer = t.readAll(3000);
        assertThat(answer).startsWith("HTTP/1.1 400").doesNotContain("Internal Server Error");
      }
      try (RawTls t = RawTls.open(server.port(), server.caBundle(), null)) {
        t.write(
            "PUT "
                + CSR
                + "aborted.test HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n"
                + "-----BEGIN CERTIFICATE REQUEST-----\n");
      } // closed mid-body
      try (RawTls t = RawTls.open(server.port(), server.caBundle(), null)) {
        t.write("GET /status/v1/simple\r\n\r\n");
        String answer = t.readAll(3000);
        assertThat(answer).doesNotContain("Internal Server Error").doesNotContain("Exception");
      }
      Thread.sleep(500);
      assertThat(log.withStackTraces()).as("client errors never log a stack trace").isEmpty();
    }
    assertThat(server.config().store().csrdir().resolve("framing.test.pem")).doesNotExist();
    assertThat(server.config().store().csrdir().resolve("aborted.test.pem")).doesNotExist();
  }

  @Test
  void aFloodOfRefusalsWritesABoundedLog() {
    try (LogCapture log = new LogCapture()) {
      for (int i = 0; i < 200; i++) {
        anon.get("/puppet-ca/v1/certificate_statuses/x");
      }
      long lines =
          log.events().stream().filter(e -> e.getMessage().startsWith("Forbidden")).count();
      assertThat(lines).as("refusals logged out of 200").isBetween(1L, 100L);
    }
  }
}
