package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.voxca.testing.TestClient;
import org.voxca.testing.TestServer;

/**
 * A test CA for the console's tests, and what a browser does with it: ask for a login link, log in,
 * keep the session cookie; submit, sign and look up through the CA's own API.
 */
final class ConsoleCa implements AutoCloseable {
  static final String FORM = "application/x-www-form-urlencoded";
  final TestServer server;

  private ConsoleCa(TestServer server) {
    this.server = server;
  }

  /**
   * A CA that takes alt names, authorization extensions and a second CSR for a signed name, its
   * audit log at {@code audit}.
   */
  static ConsoleCa start(Path root, Path audit) throws Exception {
    return new ConsoleCa(
        TestServer.builder(root)
            .hocon(
                "certificate-authority { allow-subject-alt-names: true,"
                    + " allow-authorization-extensions: true, allow-duplicate-certs: true }\n"
                    + "voxca.audit-log: \""
                    + audit
                    + "\"\n")
            .start());
  }

  @Override
  public void close() {
    server.close();
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

  /** A new login link's token, asked for with the admin certificate. */
  String linkToken() throws Exception {
    HttpResponse<String> link = server.admin().send("POST", "/voxca/v1/console_links", "");
    assertThat(link.statusCode()).as(link.body()).isEqualTo(200);
    String url = new ObjectMapper().readTree(link.body()).path("url").asText();
    return URI.create(url).getQuery().substring("token=".length());
  }

  /** The answer to a login with {@code token} from {@code browser}. */
  static HttpResponse<String> login(TestClient browser, String token) {
    return browser.send("POST", "/console/login", "token=" + token, "Content-Type", FORM);
  }

  /** Logs in with a fresh link, as a browser without a certificate. */
  Session session() throws Exception {
    String token = linkToken();
    TestClient browser = server.anonymous();
    HttpResponse<String> page = browser.get("/console/login?token=" + token);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("Log in to the voxca console");
    HttpResponse<String> in = login(browser, token);
    assertThat(in.statusCode()).isEqualTo(303);
    String cookie = find(in.headers().firstValue("set-cookie").orElse(""), "^([^;]+)");
    return new Session(browser, cookie);
  }

  void submit(String name, String pem) {
    HttpResponse<String> r =
        server.anonymous().put("/puppet-ca/v1/certificate_request/" + name, pem);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  void sign(String name, Long ttl) {
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

  String state(String name) throws Exception {
    HttpResponse<String> r = server.admin().get("/puppet-ca/v1/certificate_status/" + name);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new ObjectMapper().readTree(r.body()).path("state").asText();
  }
}
