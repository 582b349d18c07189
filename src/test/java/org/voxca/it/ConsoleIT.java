package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.testing.CliRunner;
import org.voxca.testing.TestClient;
import org.voxca.testing.TestPki;
import org.voxca.testing.TestServer;

/**
 * The operator console over real TLS: who gets in (admin certificate, one-time link) and who does
 * not (agents, anonymous clients, a spent link), its cookie and headers, CSRF, and what the pages
 * show and do — each action checked in the CA's own API afterwards.
 */
class ConsoleIT {
  @TempDir static Path dir;
  static TestServer server;
  private static final String FORM = "application/x-www-form-urlencoded";

  @BeforeAll
  static void start() throws Exception {
    server =
        TestServer.builder(dir.resolve("server"))
            .hocon(
                "certificate-authority { allow-subject-alt-names: true,"
                    + " allow-authorization-extensions: true, allow-duplicate-certs: true }\n"
                    + "voxca.audit-log: \""
                    + dir.resolve("audit.jsonl")
                    + "\"\n")
            .start();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  /** A browser's state: the session cookie. */
  record Session(TestClient client, String cookie) {
    HttpResponse<String> get(String path) {
      return client.get(path, "Cookie", cookie);
    }

    HttpResponse<String> post(String path, String form, String... extra) {
      List<String> h = new ArrayList<>(List.of("Cookie", cookie, "Content-Type", FORM));
      h.addAll(List.of(extra));
      return client.send("POST", path, form, h.toArray(String[]::new));
    }

    String csrf() {
      return find(get("/console/").body(), "name=\"csrf\" value=\"([^\"]+)\"");
    }
  }

  static String find(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertThat(m.find()).as("%s in %s", regex, text).isTrue();
    return m.group(1);
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** Logs in with a fresh link, as a browser without a certificate. */
  /** A new login link's token, asked for with the admin certificate. */
  static String linkToken() throws Exception {
    HttpResponse<String> link = server.admin().send("POST", "/voxca/v1/console_links", "");
    assertThat(link.statusCode()).as(link.body()).isEqualTo(200);
    String url = new ObjectMapper().readTree(link.body()).path("url").asText();
    return URI.create(url).getQuery().substring("token=".length());
  }

  /** The status of a login with {@code token} from {@code browser}. */
  static int login(TestClient browser, String token) {
    return browser
        .send("POST", "/console/login", "token=" + token, "Content-Type", FORM)
        .statusCode();
  }

  static Session linkSession() throws Exception {
    String token = linkToken();
    TestClient browser = server.anonymous();
    HttpResponse<String> page = browser.get("/console/login?token=" + token);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("Log in to the voxca console");
    HttpResponse<String> in =
        browser.send("POST", "/console/login", "token=" + token, "Content-Type", FORM);
    assertThat(in.statusCode()).isEqualTo(303);
    String cookie = find(in.headers().firstValue("set-cookie").orElse(""), "^([^;]+)");
    return new Session(browser, cookie);
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
    String token = linkToken();
    TestClient browser = server.anonymous();
    assertThat(login(browser, token)).isEqualTo(303);
    HttpResponse<String> again =
        browser.send("POST", "/console/login", "token=" + token, "Content-Type", FORM);
    assertThat(again.statusCode()).as("a spent link").isEqualTo(403);
    assertThat(again.headers().firstValue("set-cookie")).isEmpty();

    Session s = linkSession();
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
    assertThat(login(server.anonymous(), token)).isEqualTo(303);
    assertThat(login(server.anonymous(), token)).as("a spent link").isEqualTo(403);
  }

  @Test
  void aFormWithoutTheSessionsCsrfTokenChangesNothing() throws Exception {
    String name = "csrf-target.example";
    submit(name, TestPki.csr(name).pem());
    Session s = linkSession();
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
    assertThat(state(name)).isEqualTo("requested");

    assertThat(s.post("/console/requests/sign", form + "&csrf=" + enc(s.csrf())).statusCode())
        .isEqualTo(303);
    assertThat(state(name)).isEqualTo("signed");
    assertThat(Files.readString(dir.resolve("audit.jsonl")))
        .containsPattern("\"actor\":\"console:[^\"]+\",\"certname\":\"" + Pattern.quote(name));
  }

  @Test
  void aPendingRequestIsShownWithEverythingItAsksForAndItsWarnings() throws Exception {
    String name = "risky.example";
    submit(
        name,
        TestPki.csr(name)
            .dns("risky.example", "localhost", "alias.example")
            .extension("1.3.6.1.4.1.34380.1.1.13", false, "web<script>")
            .extension("1.3.6.1.4.1.34380.1.3.39", false, "true")
            .pem());
    Session s = linkSession();
    String page = s.get("/console/requests").body();
    String section =
        find(
            page,
            "(<section class=\"csr\" aria-labelledby=\"csr-risky\\.example\">[\\s\\S]*?</section>)");
    assertThat(section)
        .contains("DNS:localhost")
        .contains("DNS:alias.example")
        .contains("Claims the CA server&#39;s own name localhost")
        .contains("pp_role")
        .contains("web&lt;script&gt;")
        .doesNotContain("web<script>")
        .contains("Requests the authorization extension pp_cli_auth")
        .contains("EC 256")
        .contains("anonymous@127.0.0.1")
        .contains("Not autosigned because")
        .contains("claims the CA server&#39;s name localhost: never autosigned");
    // the API's pending reason stays the reason alone
    HttpResponse<String> status = server.admin().get("/puppet-ca/v1/certificate_status/" + name);
    assertThat(new ObjectMapper().readTree(status.body()).path("voxca_pending_reason").asText())
        .isEqualTo("claims the CA server's name localhost: never autosigned");
  }

  @Test
  void aRequestForANameThatHoldsACertificateIsShownBesideIt() throws Exception {
    String name = "twice.example";
    submit(name, TestPki.csr(name).dns(name, "old-alias.example").pem());
    sign(name, null);
    submit(name, TestPki.csr(name).dns(name, "new-alias.example").pem());
    Session s = linkSession();
    String section =
        find(
            s.get("/console/requests?glob=twice.example").body(),
            "(<section class=\"csr\" aria-labelledby=\"csr-twice\\.example\">[\\s\\S]*?</section>)");
    assertThat(section).contains("Already holds a valid certificate");
    String compared = section.substring(section.indexOf("Compare with the current certificate"));
    assertThat(compared).contains("DNS:new-alias.example").contains("DNS:old-alias.example");
  }

  @Test
  void certificatesAreSearchedByGlobStateAndExpiryAPageAtATime() throws Exception {
    for (int i = 0; i < 104; i++) {
      String n = "page" + i + ".search.example";
      submit(n, TestPki.csr(n).pem());
      sign(n, null);
    }
    submit("brief.search.example", TestPki.csr("brief.search.example").pem());
    sign("brief.search.example", 3600L);
    assertThat(
            server
                .admin()
                .put(
                    "/puppet-ca/v1/certificate_status/page7.search.example",
                    "{\"desired_state\":\"revoked\"}")
                .statusCode())
        .isEqualTo(204);
    Session s = linkSession();
    String first = s.get("/console/certificates?glob=*.search.example").body();
    assertThat(first).contains("<p id=\"count\">105 matches</p>").contains("rel=\"next\"");
    assertThat(Pattern.compile("<tr><td><a ").matcher(first).results().count()).isEqualTo(100);
    String second = s.get("/console/certificates?glob=*.search.example&page=1").body();
    assertThat(Pattern.compile("<tr><td><a ").matcher(second).results().count()).isEqualTo(5);
    assertThat(second).contains("rel=\"prev\"").doesNotContain("rel=\"next\"");
    String revoked = s.get("/console/certificates?glob=*.search.example&state=revoked").body();
    assertThat(revoked).contains("<p id=\"count\">1 match</p>").contains("page7.search.example");
    String tomorrow = java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(2).toString();
    String soon = s.get("/console/certificates?glob=*.search.example&expiring=" + tomorrow).body();
    assertThat(soon).contains("<p id=\"count\">1 match</p>").contains("brief.search.example");
  }

  @Test
  void bulkSigningSignsExactlyThePreviewAndLeavesAReplacedRequest() throws Exception {
    for (String n : List.of("bulk1.fleet.example", "bulk2.fleet.example", "bulk3.fleet.example")) {
      submit(n, TestPki.csr(n).pem());
    }
    submit("other.example", TestPki.csr("other.example").pem());
    Session s = linkSession();
    String preview = s.get("/console/requests/bulk?glob=" + enc("*.fleet.example")).body();
    List<String> names = new ArrayList<>();
    Matcher m = Pattern.compile("name=\"name\" value=\"([^\"]+)\"").matcher(preview);
    while (m.find()) {
      names.add(m.group(1));
    }
    assertThat(names)
        .containsExactly("bulk1.fleet.example", "bulk2.fleet.example", "bulk3.fleet.example");
    StringBuilder form = new StringBuilder("csrf=" + enc(s.csrf()));
    Matcher pairs =
        Pattern.compile(
                "name=\"name\" value=\"([^\"]+)\"><input type=\"hidden\" name=\"fingerprint\" value=\"([^\"]+)\"")
            .matcher(preview);
    while (pairs.find()) {
      form.append("&name=")
          .append(enc(pairs.group(1)))
          .append("&fingerprint=")
          .append(enc(pairs.group(2)));
    }
    // bulk3 submits a new CSR after the preview: it is not what the operator saw
    assertThat(
            server
                .admin()
                .delete("/puppet-ca/v1/certificate_request/bulk3.fleet.example")
                .statusCode())
        .isEqualTo(200);
    submit("bulk3.fleet.example", TestPki.csr("bulk3.fleet.example").pem());
    HttpResponse<String> done = s.post("/console/requests/bulk", form.toString());
    assertThat(done.statusCode()).isEqualTo(303);
    assertThat(done.headers().firstValue("location").orElse("")).contains("bulk3.fleet.example");
    assertThat(state("bulk1.fleet.example")).isEqualTo("signed");
    assertThat(state("bulk2.fleet.example")).isEqualTo("signed");
    assertThat(state("bulk3.fleet.example")).isEqualTo("requested");
    assertThat(state("other.example")).isEqualTo("requested");
  }

  @Test
  void revokeAndCleanGoThroughAConfirmationPage() throws Exception {
    String name = "gone.example";
    submit(name, TestPki.csr(name).pem());
    sign(name, null);
    Session s = linkSession();
    String detail = s.get("/console/certificate?name=" + name).body();
    assertThat(detail)
        .contains("<dd>signed</dd>")
        .contains("Revoke…")
        .contains("<dt>Key</dt><dd>EC 256 (prime256v1)</dd>")
        .containsPattern("extendedKeyUsage( \\(critical\\))?</th><td>[^<]*clientAuth")
        .contains("basicConstraints (critical)</th><td>CA:FALSE")
        .containsPattern("authorityKeyIdentifier</th><td>keyid:[0-9A-F:]+<");
    String confirm = s.get("/console/certificate/confirm?action=revoke&name=" + name).body();
    assertThat(confirm).contains("goes on the CRL").contains("id=\"confirm\"");
    assertThat(state(name)).isEqualTo("signed");
    assertThat(
            s.post("/console/certificate/revoke", "name=" + name + "&csrf=" + enc(s.csrf()))
                .statusCode())
        .isEqualTo(303);
    assertThat(state(name)).isEqualTo("revoked");
    assertThat(
            s.post("/console/certificate/clean", "name=" + name + "&csrf=" + enc(s.csrf()))
                .statusCode())
        .isEqualTo(303);
    assertThat(server.admin().get("/puppet-ca/v1/certificate_status/" + name).statusCode())
        .isEqualTo(404);
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

  @Test
  void badInputGetsAPageAndA4xx() throws Exception {
    Session s = linkSession();
    assertThat(s.get("/console/certificate?name=" + enc("../../etc/passwd")).statusCode())
        .isBetween(400, 404);
    assertThat(s.get("/console/certificate?name=NOPE").statusCode()).isBetween(400, 404);
    assertThat(s.get("/console/certificates?state=bogus").statusCode()).isEqualTo(400);
    assertThat(s.get("/console/certificates?expiring=tomorrow").statusCode()).isEqualTo(400);
    assertThat(s.get("/console/nowhere").statusCode()).isEqualTo(404);
    assertThat(s.post("/console/requests/sign", "csrf=" + enc(s.csrf())).statusCode())
        .isEqualTo(400);
    assertThat(s.get("/console/audit?actor=console").body()).contains("id=\"audit\"");
  }

  private static void submit(String name, String pem) {
    HttpResponse<String> r =
        server.anonymous().put("/puppet-ca/v1/certificate_request/" + name, pem);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  private static void sign(String name, Long ttl) {
    HttpResponse<String> r =
        server
            .admin()
            .put(
                "/puppet-ca/v1/certificate_status/" + name,
                ttl == null
                    ? "{\"desired_state\":\"signed\"}"
                    : "{\"desired_state\":\"signed\",\"cert_ttl\":" + ttl + "}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
  }

  private static String state(String name) throws Exception {
    HttpResponse<String> r = server.admin().get("/puppet-ca/v1/certificate_status/" + name);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new ObjectMapper().readTree(r.body()).path("state").asText();
  }
}
