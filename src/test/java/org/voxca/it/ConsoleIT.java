package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.voxca.it.ConsoleCa.enc;
import static org.voxca.it.ConsoleCa.find;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.it.ConsoleCa.Session;
import org.voxca.testing.TestPki;
import org.voxca.testing.TestServer;

/**
 * What the operator console's pages show and do over real TLS: a pending request's full review and
 * warnings, the side-by-side view with the name's current certificate, search and paging, bulk
 * signing of exactly the preview, revoke and clean after confirmation, bad input; each action
 * checked in the CA's own API afterwards.
 */
class ConsoleIT {
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
  void aPendingRequestIsShownWithEverythingItAsksForAndItsWarnings() throws Exception {
    String name = "risky.example";
    console.submit(
        name,
        TestPki.csr(name)
            .dns("risky.example", "localhost", "alias.example")
            .extension("1.3.6.1.4.1.34380.1.1.13", false, "web<script>")
            .extension("1.3.6.1.4.1.34380.1.3.39", false, "true")
            .pem());
    Session s = console.session();
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
  void theOverviewShowsWhereAKeyRolloverStandsAndTheNextStep() throws Exception {
    Session s = console.session();
    String rollover = "(<dd id=\"rollover\">[\\s\\S]*?</dd>)";
    assertThat(find(s.get("/console/").body(), rollover))
        .contains("none")
        .contains("voxca ca rollover prepare");
    HttpResponse<String> prepared =
        server.rollover(
            "{\"action\":\"prepare\",\"ca_name\":\"Console <G2>\",\"key_type\":\"ec\"}");
    assertThat(prepared.statusCode()).as(prepared.body()).isEqualTo(200);
    try {
      assertThat(find(s.get("/console/").body(), rollover))
          .contains("prepared since")
          .contains("next CA CN=Console \\&lt;G2\\&gt; (EC 384")
          .doesNotContain("Console <G2>")
          .contains("the current CA signs")
          .contains("Agents that fetched the new CA bundle: ")
          .contains("voxca ca rollover activate");
    } finally {
      server.rolloverAction("abort");
    }
    assertThat(find(s.get("/console/").body(), rollover)).contains("none");
  }

  @Test
  void aRequestForANameThatHoldsACertificateIsShownBesideIt() throws Exception {
    String name = "twice.example";
    console.submit(name, TestPki.csr(name).dns(name, "old-alias.example").pem());
    console.sign(name, null);
    console.submit(name, TestPki.csr(name).dns(name, "new-alias.example").pem());
    Session s = console.session();
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
      console.submit(n, TestPki.csr(n).pem());
      console.sign(n, null);
    }
    console.submit("brief.search.example", TestPki.csr("brief.search.example").pem());
    console.sign("brief.search.example", 3600L);
    assertThat(
            server
                .admin()
                .put(
                    "/puppet-ca/v1/certificate_status/page7.search.example",
                    "{\"desired_state\":\"revoked\"}")
                .statusCode())
        .isEqualTo(204);
    Session s = console.session();
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
      console.submit(n, TestPki.csr(n).pem());
    }
    console.submit("other.example", TestPki.csr("other.example").pem());
    Session s = console.session();
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
    console.submit("bulk3.fleet.example", TestPki.csr("bulk3.fleet.example").pem());
    HttpResponse<String> done = s.post("/console/requests/bulk", form.toString());
    assertThat(done.statusCode()).isEqualTo(303);
    assertThat(done.headers().firstValue("location").orElse("")).contains("bulk3.fleet.example");
    assertThat(console.state("bulk1.fleet.example")).isEqualTo("signed");
    assertThat(console.state("bulk2.fleet.example")).isEqualTo("signed");
    assertThat(console.state("bulk3.fleet.example")).isEqualTo("requested");
    assertThat(console.state("other.example")).isEqualTo("requested");
  }

  @Test
  void revokeAndCleanGoThroughAConfirmationPage() throws Exception {
    String name = "gone.example";
    console.submit(name, TestPki.csr(name).pem());
    console.sign(name, null);
    Session s = console.session();
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
    assertThat(console.state(name)).isEqualTo("signed");
    assertThat(
            s.post("/console/certificate/revoke", "name=" + name + "&csrf=" + enc(s.csrf()))
                .statusCode())
        .isEqualTo(303);
    assertThat(console.state(name)).isEqualTo("revoked");
    assertThat(
            s.post("/console/certificate/clean", "name=" + name + "&csrf=" + enc(s.csrf()))
                .statusCode())
        .isEqualTo(303);
    assertThat(server.admin().get("/puppet-ca/v1/certificate_status/" + name).statusCode())
        .isEqualTo(404);
  }

  @Test
  void badInputGetsAPageAndA4xx() throws Exception {
    Session s = console.session();
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
}
