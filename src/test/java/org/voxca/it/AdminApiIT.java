package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.testing.TestClient;
import org.voxca.testing.TestPki;
import org.voxca.testing.TestServer;

/** The operator's endpoints, with spec Appendix A's codes and texts, over HTTPS. */
class AdminApiIT {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dir;
  static TestServer server;
  static TestClient admin;
  static TestClient anon;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.builder(dir).autosign("false").start();
    admin = server.admin();
    anon = server.anonymous();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static void submit(String name, TestPki.CsrSpec csr) {
    assertThat(anon.put("/puppet-ca/v1/certificate_request/" + name, csr.pem()).statusCode())
        .isEqualTo(200);
  }

  static JsonNode json(HttpResponse<String> r) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
    return JSON.readTree(r.body());
  }

  @Test
  void statusOfARequestThenOfTheSignedCertificate() throws Exception {
    submit(
        "status.test",
        TestPki.csr("status.test")
            .dns("status.test", "alt.status.test")
            .ip("10.1.2.3")
            .extension("1.3.6.1.4.1.34380.1.3.13", false, "webserver"));
    JsonNode req =
        json(
            admin.get(
                "/puppet-ca/v1/certificate_status/status.test", "Accept", "application/json"));
    assertThat(req.get("name").asText()).isEqualTo("status.test");
    assertThat(req.get("state").asText()).isEqualTo("requested");
    assertThat(req.get("fingerprint").asText()).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
    assertThat(req.get("fingerprints").get("default").asText())
        .isEqualTo(req.get("fingerprint").asText());
    assertThat(req.get("fingerprints").has("SHA1")).isTrue();
    assertThat(req.get("subject_alt_names").toString())
        .isEqualTo("[\"IP:10.1.2.3\",\"DNS:status.test\",\"DNS:alt.status.test\"]");
    assertThat(req.get("dns_alt_names").toString())
        .isEqualTo("[\"DNS:status.test\",\"DNS:alt.status.test\"]");
    assertThat(req.get("authorization_extensions").get("pp_auth_role").asText())
        .isEqualTo("webserver");
    assertThat(req.has("serial_number")).isFalse();

    // a disallowed SAN and auth extension: signing is a 409 with Puppet's text
    HttpResponse<String> conflict =
        admin.put("/puppet-ca/v1/certificate_status/status.test", "{\"desired_state\":\"signed\"}");
    assertThat(conflict.statusCode()).isEqualTo(409);
    assertThat(conflict.body())
        .startsWith(
            "CSR 'status.test' contains extra subject alternative names (IP:10.1.2.3, DNS:alt.status.test)");

    submit("plain.test", TestPki.csr("plain.test"));
    HttpResponse<String> ok =
        admin.put(
            "/puppet-ca/v1/certificate_status/plain.test",
            "{\"desired_state\":\"signed\",\"cert_ttl\":86400}",
            "Content-Type",
            "application/json");
    assertThat(ok.statusCode()).isEqualTo(204);
    JsonNode cert = json(admin.get("/puppet-ca/v1/certificate_status/plain.test"));
    assertThat(cert.get("state").asText()).isEqualTo("signed");
    assertThat(cert.get("serial_number").isIntegralNumber()).isTrue();
    assertThat(cert.get("not_before").asText())
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dUTC");
    assertThat(
            Duration.between(
                    Instant.now(),
                    Instant.from(
                        DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'UTC'")
                            .withZone(ZoneOffset.UTC)
                            .parse(cert.get("not_after").asText())))
                .toHours())
        .isBetween(23L, 24L);
    assertThat(cert.get("subject_alt_names").toString()).isEqualTo("[\"DNS:plain.test\"]");
  }

  @Test
  void appendixACodes() {
    HttpResponse<String> missing = admin.get("/puppet-ca/v1/certificate_status/missing.test");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body()).isEqualTo("Resource not found.");
    HttpResponse<String> delMissing = admin.delete("/puppet-ca/v1/certificate_status/missing.test");
    assertThat(delMissing.statusCode()).isEqualTo(404);
    assertThat(delMissing.body()).isEqualTo("Resource not found.");
    assertThat(admin.get("/puppet-ca/v1/certificate_status/x", "Accept", "text/plain").statusCode())
        .isEqualTo(406);

    submit("only-csr.test", TestPki.csr("only-csr.test"));
    HttpResponse<String> revokeCsr =
        admin.put(
            "/puppet-ca/v1/certificate_status/only-csr.test", "{\"desired_state\":\"revoked\"}");
    assertThat(revokeCsr.statusCode()).isEqualTo(409);
    assertThat(revokeCsr.body())
        .isEqualTo("Cannot revoke certificate for host only-csr.test without a signed certificate");
    assertThat(admin.delete("/puppet-ca/v1/certificate_status/only-csr.test").statusCode())
        .isEqualTo(204);
    assertThat(server.config().store().csrdir().resolve("only-csr.test.pem")).doesNotExist();

    submit("signed-once.test", TestPki.csr("signed-once.test"));
    assertThat(
            admin
                .put(
                    "/puppet-ca/v1/certificate_status/signed-once.test",
                    "{\"desired_state\":\"signed\"}")
                .statusCode())
        .isEqualTo(204);
    HttpResponse<String> signAgain =
        admin.put(
            "/puppet-ca/v1/certificate_status/signed-once.test", "{\"desired_state\":\"signed\"}");
    assertThat(signAgain.statusCode()).isEqualTo(409);
    assertThat(signAgain.body())
        .isEqualTo(
            "Cannot sign certificate for host signed-once.test without a certificate request");

    HttpResponse<String> empty = admin.get("/puppet-ca/v1/certificate_statuses/");
    assertThat(empty.statusCode()).isEqualTo(400);
    assertThat(empty.body()).isEqualTo("Missing URL Segment");
    assertThat(admin.get("/puppet-ca/v1/certificate_statuses").statusCode()).isEqualTo(404);
  }

  @Test
  void statusesFilterByState() throws Exception {
    submit("list-pending.test", TestPki.csr("list-pending.test"));
    submit("list-revoked.test", TestPki.csr("list-revoked.test"));
    admin.put(
        "/puppet-ca/v1/certificate_status/list-revoked.test", "{\"desired_state\":\"signed\"}");
    admin.put(
        "/puppet-ca/v1/certificate_status/list-revoked.test", "{\"desired_state\":\"revoked\"}");
    JsonNode requested =
        json(admin.get("/puppet-ca/v1/certificate_statuses/any_key?state=requested"));
    assertThat(requested.findValuesAsText("state")).containsOnly("requested");
    assertThat(requested.findValuesAsText("name"))
        .contains("list-pending.test")
        .doesNotContain("voxca.test");
    JsonNode revoked = json(admin.get("/puppet-ca/v1/certificate_statuses/any_key?state=revoked"));
    assertThat(revoked.findValuesAsText("name")).containsExactly("list-revoked.test");
    JsonNode all = json(admin.get("/puppet-ca/v1/certificate_statuses/any_key"));
    assertThat(all.findValuesAsText("name"))
        .contains("list-pending.test", "list-revoked.test", "voxca.test");
    assertThat(
            server
                .agent("plain-agent")
                .get("/puppet-ca/v1/certificate_statuses/any_key")
                .statusCode())
        .isEqualTo(403);
  }

  @Test
  void statusesFilterByNameGlobAndExpiry() throws Exception {
    submit("exp-short.test", TestPki.csr("exp-short.test"));
    submit("exp-long.test", TestPki.csr("exp-long.test"));
    submit("exp-pending.test", TestPki.csr("exp-pending.test"));
    admin.put(
        "/puppet-ca/v1/certificate_status/exp-short.test",
        "{\"desired_state\":\"signed\",\"cert_ttl\":3600}");
    admin.put("/puppet-ca/v1/certificate_status/exp-long.test", "{\"desired_state\":\"signed\"}");
    JsonNode named = json(admin.get("/puppet-ca/v1/certificate_statuses/k?name=exp-*"));
    assertThat(named.findValuesAsText("name"))
        .containsExactlyInAnyOrder("exp-short.test", "exp-long.test", "exp-pending.test");
    String tomorrow =
        Instant.now().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS).toString();
    JsonNode expiring =
        json(
            admin.get(
                "/puppet-ca/v1/certificate_statuses/k?name=exp-*&expiring_before=" + tomorrow));
    assertThat(expiring.findValuesAsText("name")).containsExactly("exp-short.test");
    JsonNode byState =
        json(
            admin.get(
                "/puppet-ca/v1/certificate_statuses/k?state=requested&name=exp-?ending.test"));
    assertThat(byState.findValuesAsText("name")).containsExactly("exp-pending.test");
    HttpResponse<String> bad =
        admin.get("/puppet-ca/v1/certificate_statuses/k?expiring_before=soon");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).startsWith("Invalid expiring_before: 'soon'");
  }

  @Test
  void bulkSigning() throws Exception {
    submit("bulk-a.test", TestPki.csr("bulk-a.test"));
    submit("bulk-bad.test", TestPki.csr("bulk-bad.test").extension("1.2.3.4", false, "x"));
    JsonNode r =
        json(
            admin.send(
                "POST",
                "/puppet-ca/v1/sign",
                "{\"certnames\":[\"bulk-a.test\",\"bulk-none.test\",\"bulk-bad.test\"]}"));
    assertThat(r.toString())
        .isEqualTo(
            "{\"signed\":[\"bulk-a.test\"],\"no-csr\":[\"bulk-none.test\"],\"signing-errors\":[\"bulk-bad.test\"]}");
    HttpResponse<String> bad = admin.send("POST", "/puppet-ca/v1/sign", "{\"certnames\":\"x\"}");
    assertThat(bad.statusCode()).isEqualTo(422);
    assertThat(bad.body()).contains("\"kind\":\"schema-violation\"");
    HttpResponse<String> tricks =
        admin.send("POST", "/puppet-ca/v1/sign", "{\"certnames\":[\"../../ca_key\"]}");
    assertThat(tricks.statusCode()).isEqualTo(422);
    submit("bulk-b.test", TestPki.csr("bulk-b.test"));
    JsonNode all = json(admin.send("POST", "/puppet-ca/v1/sign/all", "{}"));
    assertThat(all.get("signed").toString()).contains("bulk-b.test");
    assertThat(all.get("signing-errors").toString()).contains("bulk-bad.test");
  }

  @Test
  void cleanAndExpirations() throws Exception {
    submit("clean-me.test", TestPki.csr("clean-me.test"));
    admin.put("/puppet-ca/v1/certificate_status/clean-me.test", "{\"desired_state\":\"signed\"}");
    HttpResponse<String> r =
        admin.put(
            "/puppet-ca/v1/clean", "{\"certnames\":[\"clean-me.test\",\"ghost-a\",\"ghost-b\"]}");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body())
        .isEqualTo(
            "The following certs do not exist and cannot be revoked: [\"ghost-a\" \"ghost-b\"]");
    assertThat(server.config().store().signeddir().resolve("clean-me.test.pem")).doesNotExist();
    assertThat(
            json(admin.get("/puppet-ca/v1/certificate_statuses/k?state=revoked"))
                .findValuesAsText("name"))
        .doesNotContain("clean-me.test");
    assertThat(admin.put("/puppet-ca/v1/clean", "nope").body())
        .isEqualTo("Request body is not JSON.");
    assertThat(admin.put("/puppet-ca/v1/clean", "{\"certnames\":[],\"async\":true}").body())
        .isEqualTo("Async mode is not currently supported.");
    assertThat(admin.put("/puppet-ca/v1/clean", "{}").body())
        .isEqualTo(
            "Missing required key: 'certnames'. Please supply the list of certs you want to clean.");
    HttpResponse<String> trick =
        admin.put("/puppet-ca/v1/clean", "{\"certnames\":[\"../ca_crt\"]}");
    assertThat(trick.statusCode()).isEqualTo(400);
    assertThat(server.cadir().resolve("ca_crt.pem")).exists();

    JsonNode exp = json(server.agent("any-agent").get("/puppet-ca/v1/expirations"));
    assertThat(exp.get("ca-certs").get("Puppet CA: voxca.test").asText())
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dUTC");
    assertThat(exp.get("crls").get("Puppet CA: voxca.test").asText()).endsWith("UTC");
    assertThat(anon.get("/puppet-ca/v1/expirations").statusCode()).isEqualTo(403);
  }
}
