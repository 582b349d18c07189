package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.voxca.it.ConsoleCa.FORM;
import static org.voxca.it.ConsoleCa.enc;
import static org.voxca.it.ConsoleCa.find;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.it.ConsoleCa.Session;
import org.voxca.testing.CliRunner;
import org.voxca.testing.TestClient;
import org.voxca.testing.TestPki;
import org.voxca.testing.TestServer;

/**
 * Who gets into the operator console over real TLS and how: the admin certificate and a one-time
 * link (also from the CLI) are admitted, agents, anonymous clients and a spent link are not; the
 * session cookie's attributes, the security headers, logout, CSRF and origin checks, a bad header
 * behind a proxy, and the audit lines of sessions and of what they change.
 */
class ConsoleAccessIT {
  @TempDir static Path dir;
  static ConsoleCa console;
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    console = ConsoleCa.start(dir.resolve("server"), dir.resolve("audit.jsonl"));
    server = console.server;
  }

  @AfterAll
  static void stop() {
    if (console != null) {
      console.close();
    }
  }

  @Test
  void anonymousAndAgentClientsAreRefusedAndTheAdminCertificateGetsASecureSession() {
    HttpResponse<String> anon = server.anonymous().get("/console/");
    assertThat(anon.statusCode()).isEqualTo(401);
    assertThat(anon.body()).contains("voxca ca console-link");
    assertThat(anon.headers().firstValue("content-security-policy").orElse(""))
        .contains("default-src 'none'")
        .contains("frame-ancestors 'none'")
        .doesNotContain("unsafe-inline");

    HttpResponse<String> agent = server.agent("node1.example").get("/console/requests");
    assertThat(agent.statusCode()).isEqualTo(403);
    assertThat(agent.headers().firstValue("set-cookie")).isEmpty();
    assertThat(
            server.agent("node1.example").send("POST", "/voxca/v1/console_links", "").statusCode())
        .isEqualTo(403);
    assertThat(server.anonymous().send("POST", "/voxca/v1/console_links", "").statusCode())
        .isEqualTo(403);

    HttpResponse<String> admin = server.admin().get("/console/");
    assertThat(admin.statusCode()).isEqualTo(200);
    assertThat(admin.body()).contains("CA overview").contains("id=\"expiry-chart\"");
    String cookie = admin.headers().firstValue("set-cookie").orElse("");
    assertThat(cookie)
        .startsWith("__Host-voxca_console=")
        .contains("; Secure")
        .contains("; HttpOnly")
        .contains("; SameSite=Strict")
        .contains("; Path=/")
        .containsPattern("Max-Age=\\d+");
  }

  @Test
  void aLinkLogsInOnceAndItsSessionEndsAtLogout() throws Exception {
    String token = console.linkToken();
    TestClient browser = server.anonymous();
    assertThat(ConsoleCa.login(browser, token).statusCode()).isEqualTo(303);
    HttpResponse<String> again = ConsoleCa.login(browser, token);
    assertThat(again.statusCode()).as("a spent link").isEqualTo(403);
    assertThat(again.headers().firstValue("set-cookie")).isEmpty();

    Session s = console.session();
    assertThat(s.get("/console/requests").statusCode()).isEqualTo(200);
    assertThat(s.post("/console/logout", "csrf=" + enc(s.csrf())).statusCode()).isEqualTo(200);
    assertThat(s.get("/console/requests").statusCode()).as("after logout").isEqualTo(401);
    String audit = Files.readString(dir.resolve("audit.jsonl"));
    assertThat(audit)
        .containsPattern(
            "\"event\":\"console_session\",\"actor\":\"console:voxca.test\","
                + "\"certname\":\"voxca.test\",\"serials\":\\[\\],\"outcome\":\"opened by link from 127.0.0.1\"")
        .contains("\"event\":\"console_session\",\"actor\":\"console:voxca.test\"")
        .contains("\"outcome\":\"closed\"");
    assertThat(
            server
                .anonymous()
                .get("/console/", "Cookie", "__Host-voxca_console=forged")
                .statusCode())
        .isEqualTo(401);
  }

  @Test
  void theCliPrintsALinkThatLogsInOnce() {
    CliRunner.Run r =
        CliRunner.ca(
            dir.resolve("server"),
            List.of("--server-url", "https://127.0.0.1:" + server.port()),
            "console-link");
    assertThat(r.code()).as(r.err()).isZero();
    String url = r.out().trim();
    assertThat(url).matches("https://127\\.0\\.0\\.1:\\d+/console/login\\?token=[A-Za-z0-9_-]{43}");
    assertThat(r.err()).contains("One use, until");
    String token = url.substring(url.indexOf("token=") + 6);
    assertThat(ConsoleCa.login(server.anonymous(), token).statusCode()).isEqualTo(303);
    assertThat(ConsoleCa.login(server.anonymous(), token).statusCode())
        .as("a spent link")
        .isEqualTo(403);
  }

  @Test
  void aFormWithoutTheSessionsCsrfTokenChangesNothing() throws Exception {
    String name = "csrf-target.example";
    console.submit(name, TestPki.csr(name).pem());
    Session s = console.session();
    String fp =
        find(
            s.get("/console/requests").body(),
            "id=\"csr-" + Pattern.quote(name) + "\"[\\s\\S]*?class=\"fp\">([^<]+)<");
    String form = "name=" + enc(name) + "&fingerprint=" + enc(fp);
    assertThat(s.post("/console/requests/sign", form).statusCode()).isEqualTo(403);
    assertThat(s.post("/console/requests/sign", form + "&csrf=wrong").statusCode()).isEqualTo(403);
    assertThat(
            s.post(
                    "/console/requests/sign",
                    form + "&csrf=" + enc(s.csrf()),
                    "Origin",
                    "https://evil.example")
                .statusCode())
        .as("another origin")
        .isEqualTo(403);
    // the admin certificate alone (a browser that sends it to any site's form) is no session
    assertThat(
            server
                .admin()
                .send("POST", "/console/requests/sign", form + "&csrf=x", "Content-Type", FORM)
                .statusCode())
        .isEqualTo(403);
    assertThat(console.state(name)).isEqualTo("requested");

    assertThat(s.post("/console/requests/sign", form + "&csrf=" + enc(s.csrf())).statusCode())
        .isEqualTo(303);
    assertThat(console.state(name)).isEqualTo("signed");
    assertThat(Files.readString(dir.resolve("audit.jsonl")))
        .containsPattern("\"actor\":\"console:[^\"]+\",\"certname\":\"" + Pattern.quote(name));
  }

  @Test
  void turnedOffTheConsoleIsNotThereEvenForTheAdmin() throws Exception {
    try (TestServer off =
        TestServer.builder(dir.resolve("off")).hocon("voxca.console.enabled = false").start()) {
      HttpResponse<String> page = off.admin().get("/console/");
      assertThat(page.statusCode()).isEqualTo(404);
      assertThat(page.headers().firstValue("set-cookie")).isEmpty();
      assertThat(off.admin().send("POST", "/voxca/v1/console_links", "").statusCode())
          .isEqualTo(404);
    }
  }

  @Test
  void behindAProxyABadCertificateHeaderIs400AndNoSession() throws Exception {
    try (TestServer proxied =
        TestServer.builder(dir.resolve("proxied"))
            .hocon("authorization { allow-header-cert-info: true }")
            .start()) {
      String[] bad = {"X-Client-Verify", "SUCCESS", "X-Client-DN", "CN=x", "X-Client-Cert", "%zz"};
      HttpResponse<String> link =
          proxied.anonymous().send("POST", "/voxca/v1/console_links", "", bad);
      assertThat(link.statusCode()).as(link.body()).isEqualTo(400);
      HttpResponse<String> page = proxied.anonymous().get("/console/", bad);
      assertThat(page.statusCode()).isEqualTo(400);
      assertThat(page.headers().firstValue("set-cookie")).isEmpty();
    }
  }
}
