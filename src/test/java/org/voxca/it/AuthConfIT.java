package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.voxca.testing.TestClient;
import org.voxca.testing.TestServer;

/**
 * Puppet Server's default auth.conf (fixture) gives the same decisions as voxca's built-in defaults
 * for every CA endpoint × method × {no cert, agent, admin}, over HTTPS; the only differences are
 * voxca's two added rules (listing all CSRs, deleting one). Path tricks never reach a handler the
 * rules deny.
 */
class AuthConfIT {
  @TempDir static Path dir;
  static TestServer builtIn;
  static TestServer fromFile;

  static final List<String> PATHS =
      List.of(
          "/puppet-ca/v1/certificate/ca",
          "/puppet-ca/v1/certificate/agent.test",
          "/puppet-ca/v1/certificate_revocation_list/ca",
          "/puppet-ca/v1/certificate_revocation_list/other",
          "/puppet-ca/v1/certificate_revocation_list",
          "/puppet-ca/v1/certificate_request/agent.test",
          "/puppet-ca/v1/certificate_requests/all",
          "/puppet-ca/v1/certificate_renewal",
          "/puppet-ca/v1/certificate_status/agent.test",
          "/puppet-ca/v1/certificate_statuses/any",
          "/puppet-ca/v1/expirations",
          "/puppet-ca/v1/clean",
          "/puppet-ca/v1/sign",
          "/puppet-ca/v1/sign/all",
          "/status/v1/simple",
          "/status/v1/simple/ca",
          "/status/v1/services",
          "/puppet-ca/v1/unknown",
          "/other");
  static final List<String> METHODS = List.of("GET", "PUT", "POST", "DELETE");

  @BeforeAll
  static void start() throws Exception {
    builtIn = TestServer.builder(dir.resolve("builtin")).start();
    String fixture =
        new String(
            AuthConfIT.class.getResourceAsStream("/fixtures/puppetserver-auth.conf").readAllBytes(),
            StandardCharsets.UTF_8);
    fromFile = TestServer.builder(dir.resolve("file")).hocon(fixture).start();
  }

  @AfterAll
  static void stop() {
    builtIn.close();
    fromFile.close();
  }

  static TestClient client(TestServer s, String who) {
    return switch (who) {
      case "none" -> s.anonymous();
      case "agent" -> s.agent("agent.test");
      default -> s.admin();
    };
  }

  static Stream<String[]> table() {
    List<String[]> out = new ArrayList<>();
    for (String who : List.of("none", "agent", "admin")) {
      for (String method : METHODS) {
        for (String path : PATHS) {
          out.add(new String[] {who, method, path});
        }
      }
    }
    return out.stream();
  }

  /**
   * voxca's added rules: list and DELETE need an admin in voxca; Puppet's file has no such rule.
   */
  static boolean seedDifference(String who, String method, String path) {
    return (path.contains("/certificate_requests/") && method.equals("GET"))
        || (path.contains("/certificate_request/")
            && method.equals("DELETE")
            && who.equals("admin"));
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("table")
  void sameDecisionsAsTheBuiltInDefaults(String who, String method, String path) {
    HttpResponse<String> a = client(builtIn, who).send(method, path, "");
    HttpResponse<String> b = client(fromFile, who).send(method, path, "");
    boolean deniedA =
        a.statusCode() == 403 && a.body().startsWith("Forbidden request")
            || a.body().equals("global deny all - no rules matched");
    boolean deniedB =
        b.statusCode() == 403 && b.body().startsWith("Forbidden request")
            || b.body().equals("global deny all - no rules matched");
    if (seedDifference(who, method, path)) {
      assertThat(deniedA).as("voxca's seed rule").isEqualTo(!who.equals("admin"));
      return;
    }
    assertThat(deniedB)
        .as(
            "%s %s as %s: built-in %s %s, auth.conf %s %s",
            method, path, who, a.statusCode(), a.body(), b.statusCode(), b.body())
        .isEqualTo(deniedA);
  }

  @Test
  void forbiddenBodyNamesThePathAndMethod() {
    HttpResponse<String> r = fromFile.anonymous().get("/puppet-ca/v1/certificate_statuses/any");
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body())
        .isEqualTo(
            "Forbidden request: /puppet-ca/v1/certificate_statuses/any (method :get). Please see the server logs for details.");
  }

  static Stream<String> tricks() {
    return Stream.of(
        "/puppet-ca/v1/certificate_status/../certificate/x",
        "/puppet-ca/v1/certificate/../certificate_status/x",
        "/puppet-ca/v1/certificate/%2e%2e/certificate_statuses/x",
        "/puppet-ca/v1/certificate/..%2Fcertificate_statuses%2Fx",
        "/puppet-ca/v1/certificate%2F..%2Fcertificate_statuses/x",
        "//puppet-ca//v1//certificate_statuses/x",
        "/puppet-ca/v1/certificate_statuses;jsessionid=1/x",
        "/puppet-ca/v1/certificate/;/../certificate_statuses/x",
        "/puppet-ca/v1/Certificate_Statuses/x",
        "/PUPPET-CA/v1/certificate_statuses/x",
        "/puppet-ca/v1/certificate/./../certificate_statuses/x");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tricks")
  void pathTricksNeverReachAnAdminHandler(String path) {
    for (TestServer s : List.of(builtIn, fromFile)) {
      for (TestClient c : List.of(s.anonymous(), s.agent("agent.test"))) {
        HttpResponse<String> r = c.get(path);
        assertThat(r.statusCode()).as(path + " -> " + r.body()).isIn(400, 403, 404);
        assertThat(r.body()).doesNotContain("\"name\"", "fingerprint");
      }
    }
  }

  @Test
  void aBadAuthConfStopsTheStartWithOneLine() {
    var b =
        TestServer.builder(dir.resolve("bad"))
            .hocon(
                "authorization { version: 1, rules: ["
                    + "{ name: x, match-request: { path: /, type: path }, allow: \"*\" },"
                    + "{ name: x, match-request: { path: /y, type: path }, deny: \"*\" } ] }");
    Assertions.assertThatThrownBy(b::start)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("auth.conf rule 'x': duplicate rule name");
    assertThat(dir.resolve("bad/puppetserver/ca/ca_key.pem")).doesNotExist();
    assertThat(Set.of()).isEmpty();
  }
}
