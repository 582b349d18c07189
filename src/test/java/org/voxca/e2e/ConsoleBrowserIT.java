package org.voxca.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.voxca.pki.Certificates;
import org.voxca.pki.Keys;
import org.voxca.testing.Await;
import org.voxca.testing.TestPki;
import org.voxca.testing.TestServer;

/**
 * The operator console in Debian's Chromium, driven by Selenium: an admin logs in with a one-time
 * link, signs a real agent's request from the page (the agent then finishes its bootstrap), revokes
 * it after the confirmation page (the agent is then refused), previews and signs in bulk, sees a
 * dangerous request's warning, and the expiry chart; a forged form without the CSRF token is
 * refused; axe-core finds no serious or critical accessibility violation. Screenshots go to {@code
 * target/console-screenshots/}.
 */
class ConsoleBrowserIT {
  @TempDir static Path dir;
  static TestServer server;
  static WebDriver browser;
  static Path shots = Path.of("target", "console-screenshots");

  @BeforeAll
  static void start() throws Exception {
    Tools.require("chromium");
    Tools.require("chromedriver");
    Tools.require("puppet");
    Tools.require("curl");
    server =
        TestServer.builder(dir.resolve("server"))
            .hocon("certificate-authority { allow-subject-alt-names: true }\n")
            .start();
    browser = chromium(dir.resolve("chromium"), Map.of());
    Files.createDirectories(shots);
    logIn();
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (server != null) {
      server.close();
    }
  }

  /**
   * Debian's Chromium, headless, with its own profile; {@code env} for the browser (a HOME whose
   * NSS database holds a client certificate). The test server's certificate is issued by the test's
   * own CA, which the browser is not told of.
   */
  static WebDriver chromium(Path profile, Map<String, String> env) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,1000",
        "--user-data-dir=" + profile);
    options.setAcceptInsecureCerts(true);
    WebDriver d =
        new ChromeDriver(
            new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .usingAnyFreePort()
                .withEnvironment(env)
                .build(),
            options);
    d.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    d.manage().timeouts().implicitlyWait(Duration.ofSeconds(5));
    return d;
  }

  static String base() {
    return "https://127.0.0.1:" + server.port();
  }

  static void logIn() throws Exception {
    HttpResponse<String> r = server.admin().send("POST", "/voxca/v1/console_links", "");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    String url = new ObjectMapper().readTree(r.body()).path("url").asText();
    browser.get(url.replaceFirst("https://[^/]+", base()));
    browser.findElement(By.id("login")).click();
    assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("CA overview");
  }

  @Test
  void withoutALinkOrCertificateTheBrowserIsAskedToLogIn() throws Exception {
    WebDriver stranger = chromium(dir.resolve("chromium-stranger"), Map.of());
    try {
      stranger.get(base() + "/console/requests");
      assertThat(stranger.findElement(By.tagName("h1")).getText()).isEqualTo("Log in");
      assertThat(stranger.getPageSource()).contains("voxca ca console-link");
      stranger.get(base() + "/console/login?token=spent-or-forged");
      stranger.findElement(By.id("login")).click();
      assertThat(stranger.findElement(By.tagName("h1")).getText()).isEqualTo("Link refused");
    } finally {
      stranger.quit();
    }
  }

  /**
   * A browser whose NSS database (under {@code home}) holds this certificate and key; the policy
   * .ci/run installs makes Chromium present it to 127.0.0.1 without asking.
   */
  static WebDriver browserWith(String label, X509Certificate cert, PrivateKey key)
      throws Exception {
    Path home = dir.resolve("home-" + label);
    Path nss = Files.createDirectories(home.resolve(".pki/nssdb"));
    Path p12 = home.resolve(label + ".p12");
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry(label, key, "test".toCharArray(), new X509Certificate[] {cert});
    try (var out = Files.newOutputStream(p12)) {
      ks.store(out, "test".toCharArray());
    }
    Tools.Result init = Tools.run(30, "certutil", "-N", "-d", "sql:" + nss, "--empty-password");
    assertThat(init.exitCode()).as(init.output()).isZero();
    Tools.Result imp =
        Tools.run(30, "pk12util", "-i", p12.toString(), "-d", "sql:" + nss, "-W", "test", "-K", "");
    assertThat(imp.exitCode()).as(imp.output()).isZero();
    return chromium(home.resolve("profile"), Map.of("HOME", home.toString()));
  }

  @Test
  void anAdminCertificateInTheBrowserOpensTheConsoleAndAnAgentsIsRefused() throws Exception {
    Tools.require("certutil");
    Tools.require("pk12util");
    Path policy = Path.of("/etc/chromium/policies/managed/voxca-test.json");
    if (!Files.exists(policy)) {
      Tools.require("the Chromium policy " + policy);
    }
    var config = server.config().ssl();
    WebDriver admin =
        browserWith(
            "admin",
            Certificates.readCertificates(Files.readString(config.hostcert())).get(0),
            Keys.readKeyPair(Files.readString(config.hostprivkey())).getPrivate());
    try {
      admin.get(base() + "/console/certificates");
      assertThat(admin.findElement(By.tagName("h1")).getText()).isEqualTo("Certificates");
      assertThat(admin.findElement(By.cssSelector("header .user")).getText())
          .isEqualTo(server.config().certname());
    } finally {
      admin.quit();
    }
    KeyPair agentKey = TestPki.ecKey();
    X509Certificate agentCert =
        TestPki.issue(
            server.issuer(), "laptop.example", agentKey, BigInteger.valueOf(777_001), false);
    WebDriver agent = browserWith("agent", agentCert, agentKey.getPrivate());
    try {
      agent.get(base() + "/console/");
      assertThat(agent.findElement(By.tagName("h1")).getText()).isEqualTo("Forbidden");
    } finally {
      agent.quit();
    }
  }

  @Test
  void aRealAgentIsSignedFromThePageThenRevokedAndRefused() throws Exception {
    String name = "web1.example";
    Path agent = dir.resolve("agent-web1");
    Process bootstrap =
        Tools.start(
            dir.resolve("agent-web1.log"),
            Tools.puppetSsl(agent, server.port(), name, "bootstrap", "--waitforcert", "1")
                .toArray(String[]::new));
    try {
      Await.until(
          Duration.ofSeconds(90),
          "the agent's CSR",
          () -> server.admin().get("/puppet-ca/v1/certificate_status/" + name).statusCode() == 200);
      browser.get(base() + "/console/requests");
      WebElement section =
          browser.findElement(By.cssSelector("section[aria-labelledby='csr-" + name + "']"));
      assertThat(section.findElement(By.cssSelector(".fp")).getText()).contains(":");
      screenshot("requests");
      section.findElement(By.cssSelector("button.sign")).click();
      assertThat(browser.findElement(By.cssSelector(".notice")).getText())
          .contains("Signed: " + name);
      assertThat(bootstrap.waitFor(120, TimeUnit.SECONDS)).as("the agent finished").isTrue();
      assertThat(bootstrap.exitValue())
          .as(Files.readString(dir.resolve("agent-web1.log")))
          .isZero();
    } finally {
      bootstrap.destroyForcibly();
    }
    Path ssl = agent.resolve("ssl");
    String url = "https://localhost:" + server.port() + "/puppet-ca/v1/certificate/" + name;
    Tools.Result before = Tools.getAs(ssl, name, url);
    assertThat(before.output()).isEqualTo("200");

    browser.get(base() + "/console/certificate?name=" + name);
    screenshot("certificate");
    browser.findElement(By.linkText("Revoke…")).click();
    assertThat(browser.findElement(By.cssSelector(".consequence")).getText()).contains("CRL");
    screenshot("revoke-confirmation");
    browser.findElement(By.id("confirm")).click();
    Await.until(
        Duration.ofSeconds(30),
        "the revoked certificate's page",
        () -> browser.getPageSource().contains("<dd>revoked</dd>"));
    Tools.Result after = Tools.getAs(ssl, name, url);
    assertThat(after.exitCode() != 0 || !after.output().equals("200"))
        .as("the revoked agent is refused: exit %d, status %s", after.exitCode(), after.output())
        .isTrue();
  }

  @Test
  void aDangerousAltNameIsShownWithItsWarning() throws Exception {
    submit(
        "sneaky.example", TestPki.csr("sneaky.example").dns("sneaky.example", "localhost").pem());
    browser.get(base() + "/console/requests?glob=sneaky.example");
    WebElement section =
        browser.findElement(By.cssSelector("section[aria-labelledby='csr-sneaky.example']"));
    assertThat(section.findElement(By.cssSelector(".alt")).getText()).contains("DNS:localhost");
    assertThat(section.findElement(By.cssSelector(".warning")).getText())
        .contains("Claims the CA server's own name localhost");
    screenshot("dangerous-request");
  }

  @Test
  void theBulkPreviewIsExactlyWhatIsSigned() throws Exception {
    for (String n : List.of("a.bulk.example", "b.bulk.example", "c.bulk.example")) {
      submit(n, TestPki.csr(n).pem());
    }
    submit("elsewhere.example", TestPki.csr("elsewhere.example").pem());
    browser.get(base() + "/console/requests");
    browser.findElement(By.id("glob")).sendKeys("*.bulk.example");
    browser.findElement(By.id("preview-bulk")).click();
    List<String> previewed = new ArrayList<>();
    for (WebElement td : browser.findElements(By.cssSelector("#preview td.name"))) {
      previewed.add(td.getText());
    }
    assertThat(previewed).containsExactly("a.bulk.example", "b.bulk.example", "c.bulk.example");
    screenshot("bulk-preview");
    browser.findElement(By.id("bulk-sign")).click();
    Await.until(
        Duration.ofSeconds(30),
        "the result page",
        () -> browser.getPageSource().contains("Signed: 3 request(s)"));
    for (String n : previewed) {
      assertThat(state(n)).as(n).isEqualTo("signed");
    }
    assertThat(state("elsewhere.example")).isEqualTo("requested");
  }

  @Test
  void aForgedFormWithoutTheCsrfTokenIsRefused() throws Exception {
    submit("target.example", TestPki.csr("target.example").pem());
    browser.get(base() + "/console/requests");
    // a form the page never made: the browser sends the session cookie, but no token
    ((JavascriptExecutor) browser)
        .executeScript(
            "var f = document.createElement('form'); f.method = 'post';"
                + " f.action = '/console/requests/sign';"
                + " var i = document.createElement('input'); i.name = 'name';"
                + " i.value = 'target.example'; f.appendChild(i);"
                + " document.body.appendChild(f); f.submit();");
    Await.until(
        Duration.ofSeconds(10),
        "the refusal page",
        () -> browser.getPageSource().contains("Missing or wrong CSRF token"));
    assertThat(state("target.example")).isEqualTo("requested");
  }

  @Test
  void theExpiryChartShowsTheFleet() throws Exception {
    for (int i = 0; i < 5; i++) {
      String n = "chart" + i + ".example";
      submit(n, TestPki.csr(n).pem());
      assertThat(
              server
                  .admin()
                  .put(
                      "/puppet-ca/v1/certificate_status/" + n,
                      "{\"desired_state\":\"signed\",\"cert_ttl\":" + (86400L * 30 * (i + 1)) + "}")
                  .statusCode())
          .isEqualTo(204);
    }
    browser.get(base() + "/console/");
    WebElement chart = browser.findElement(By.id("expiry-chart"));
    assertThat(chart.findElements(By.cssSelector("rect.bar"))).isNotEmpty();
    assertThat(chart.findElement(By.tagName("desc")).getAttribute("textContent"))
        .contains("certificates expire within 52 weeks");
    screenshot("overview");
    Files.write(shots.resolve("expiry-chart.png"), chart.getScreenshotAs(OutputType.BYTES));
    assertThat(Files.size(shots.resolve("expiry-chart.png"))).isGreaterThan(2000);
  }

  @Test
  void axeFindsNoSeriousOrCriticalViolation() throws Exception {
    Path axe = axe();
    String script = Files.readString(axe);
    submit("axe.example", TestPki.csr("axe.example").dns("axe.example", "alias.axe.example").pem());
    for (String page :
        List.of(
            "/console/",
            "/console/requests",
            "/console/requests/bulk?glob=*.example",
            "/console/certificates",
            "/console/certificate?name=axe.example",
            "/console/audit")) {
      browser.get(base() + page);
      JavascriptExecutor js = (JavascriptExecutor) browser;
      js.executeScript(script);
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> violations =
          (List<Map<String, Object>>)
              js.executeAsyncScript(
                  "var done = arguments[arguments.length - 1];"
                      + " axe.run(document).then(function (r) { done(r.violations.filter("
                      + "function (v) { return v.impact === 'serious' || v.impact === 'critical'; })"
                      + ".map(function (v) { return {id: v.id, impact: v.impact, help: v.help,"
                      + " nodes: v.nodes.length}; })); });");
      assertThat(violations).as("axe on %s", page).isEmpty();
    }
    browser.get(base() + "/console/certificates");
    screenshot("certificates");
  }

  private static Path axe() {
    String root = System.getenv("VOXCA_TEST_TOOLS");
    Path p =
        (root != null
                ? Path.of(root)
                : Path.of(System.getProperty("user.home"), ".cache", "voxca-test"))
            .resolve("node_modules/axe-core/axe.min.js");
    if (!Files.isReadable(p)) {
      Tools.require("axe-core at " + p);
    }
    return p;
  }

  private static void screenshot(String name) throws Exception {
    Files.write(
        shots.resolve(name + ".png"),
        ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
  }

  private static void submit(String name, String pem) {
    HttpResponse<String> r =
        server.anonymous().put("/puppet-ca/v1/certificate_request/" + name, pem);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  private static String state(String name) throws Exception {
    HttpResponse<String> r = server.admin().get("/puppet-ca/v1/certificate_status/" + name);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new ObjectMapper().readTree(r.body()).path("state").asText();
  }
}
