package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.testing.TestClient;
import org.voxca.testing.TestPki;
import org.voxca.testing.TestServer;

/**
 * voxca's enrolment tokens over HTTPS, with Puppet's autosign off: a CSR with a valid token in its
 * challengePassword is signed at submission; a reused, expired, revoked, mistyped token, one for
 * another name or one over its extension allowance leaves the CSR pending with the reason in {@code
 * certificate_status}; only an admin may make or list tokens; the store never holds a secret.
 */
class EnrolmentTokenIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CA = "/puppet-ca/v1/";
  @TempDir static Path dir;
  static TestServer server;
  static TestClient admin;
  static TestClient anon;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.builder(dir.resolve("server")).autosign("false").start();
    admin = server.admin();
    anon = server.anonymous();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static JsonNode create(String json) throws Exception {
    HttpResponse<String> r =
        admin.send("POST", "/voxca/v1/enrolment_tokens", json, "Content-Type", "application/json");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  /** Submits a CSR for {@code name} carrying {@code token}; true when it was signed at once. */
  private static boolean submit(String name, String token, String... extension) {
    TestPki.CsrSpec csr = TestPki.csr(name).challengePassword(token);
    for (int i = 0; i < extension.length; i += 2) {
      csr.extension(extension[i], false, extension[i + 1]);
    }
    assertThat(anon.put(CA + "certificate_request/" + name, csr.pem()).statusCode()).isEqualTo(200);
    return anon.get(CA + "certificate/" + name).statusCode() == 200;
  }

  private static String reason(String name) throws Exception {
    HttpResponse<String> r = admin.get(CA + "certificate_status/" + name);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode s = JSON.readTree(r.body());
    assertThat(s.path("state").asText()).isEqualTo("requested");
    return s.path("voxca_pending_reason").asText();
  }

  @Test
  void aValidTokenSignsOnceAndEveryOtherOutcomeSaysWhy() throws Exception {
    JsonNode t =
        create(
            "{\"certname\":\"web01.token.test\",\"ttl\":600,\"extensions\":{\"pp_role\":\"web\"}}");
    String secret = t.path("token").asText();
    assertThat(secret).startsWith("voxca-enrol-");
    assertThat(submit("web01.token.test", secret, "1.3.6.1.4.1.34380.1.1.13", "web")).isTrue();

    // the same token again: used
    admin.send("DELETE", CA + "certificate_status/web01.token.test", null);
    assertThat(submit("web01.token.test", secret)).isFalse();
    assertThat(reason("web01.token.test"))
        .contains("was already used")
        .contains(t.path("id").asText());

    // without a token, Puppet's setting decides; both reasons are given
    assertThat(submit("none.token.test", null)).isFalse();
    assertThat(reason("none.token.test"))
        .contains("no enrolment token")
        .contains("autosign is off");

    // mistyped
    assertThat(submit("typo.token.test", "voxca-enrol-00")).isFalse();
    assertThat(reason("typo.token.test")).contains("unknown to this CA");

    // the audit log holds every use and every refusal, never the secret
    String audit = Files.readString(server.config().operations().auditLog());
    assertThat(audit)
        .contains("signed: enrolment token " + t.path("id").asText())
        .contains("pending: enrolment token " + t.path("id").asText() + " was already used")
        .doesNotContain(secret);
  }

  @Test
  void aTokenForAnotherNameOrOverItsAllowanceIsRevokedAndTheCsrStaysPending() throws Exception {
    JsonNode other = create("{\"certname\":\"db01.token.test\",\"ttl\":600}");
    assertThat(submit("intruder.token.test", other.path("token").asText())).isFalse();
    assertThat(reason("intruder.token.test"))
        .contains("is for db01.token.test, not intruder.token.test")
        .contains("revoked");
    assertThat(submit("db01.token.test", other.path("token").asText()))
        .as("revoked once exposed")
        .isFalse();
    assertThat(reason("db01.token.test")).contains("was revoked");

    JsonNode glob =
        create(
            "{\"glob\":\"*.fleet.token.test\",\"ttl\":600,\"uses\":5,\"extensions\":{\"pp_role\":\"web\"}}");
    assertThat(
            submit(
                "a.fleet.token.test",
                glob.path("token").asText(),
                "1.3.6.1.4.1.34380.1.1.13",
                "db"))
        .isFalse();
    assertThat(reason("a.fleet.token.test")).contains("does not allow pp_role=db (only web)");

    JsonNode list = JSON.readTree(admin.get("/voxca/v1/enrolment_tokens").body());
    assertThat(list.toString())
        .doesNotContain(other.path("token").asText())
        .doesNotContain(glob.path("token").asText());
    assertThat(state(list, other.path("id").asText())).isEqualTo("revoked");
    assertThat(state(list, glob.path("id").asText())).isEqualTo("revoked");
  }

  @Test
  void expiredAndRevokedTokensLeaveTheCsrPending() throws Exception {
    JsonNode brief = create("{\"certname\":\"brief.token.test\",\"ttl\":1}");
    Thread.sleep(1_200);
    assertThat(submit("brief.token.test", brief.path("token").asText())).isFalse();
    assertThat(reason("brief.token.test")).contains("expired at");

    JsonNode revoked = create("{\"certname\":\"gone.token.test\",\"ttl\":600}");
    assertThat(
            admin.delete("/voxca/v1/enrolment_tokens/" + revoked.path("id").asText()).statusCode())
        .isEqualTo(204);
    assertThat(admin.delete("/voxca/v1/enrolment_tokens/0000000000000000").statusCode())
        .isEqualTo(404);
    assertThat(submit("gone.token.test", revoked.path("token").asText())).isFalse();
    assertThat(reason("gone.token.test")).contains("was revoked");
  }

  @Test
  void onlyAnAdminMakesTokensAndBadRequestsAre400() throws Exception {
    assertThat(
            anon.send(
                    "POST",
                    "/voxca/v1/enrolment_tokens",
                    "{\"certname\":\"x.test\"}",
                    "Content-Type",
                    "application/json")
                .statusCode())
        .isEqualTo(403);
    assertThat(anon.get("/voxca/v1/enrolment_tokens").statusCode()).isEqualTo(403);
    TestClient agent = server.agent("agent.token.test");
    assertThat(agent.get("/voxca/v1/enrolment_tokens").statusCode()).isEqualTo(403);
    for (String bad :
        new String[] {
          "{\"ttl\":60}",
          "{\"certname\":\"a.test\",\"glob\":\"*.test\"}",
          "{\"certname\":\"../etc\"}",
          "{\"glob\":\"a*.test\"}",
          "{\"certname\":\"a.test\",\"uses\":0}",
          "{\"certname\":\"a.test\",\"ttl\":99999999}",
          "{\"certname\":\"a.test\",\"extensions\":{\"subjectAltName\":\"x\"}}",
          "not json"
        }) {
      HttpResponse<String> r =
          admin.send("POST", "/voxca/v1/enrolment_tokens", bad, "Content-Type", "application/json");
      assertThat(r.statusCode()).as(bad + ": " + r.body()).isEqualTo(400);
    }
  }

  @Test
  void theStoreKeepsOnlyHashesAndADryRunTakesNoUse() throws Exception {
    JsonNode t = create("{\"certname\":\"dry.token.test\",\"ttl\":600}");
    String secret = t.path("token").asText();
    String pem = TestPki.csr("dry.token.test").challengePassword(secret).pem();
    for (int i = 0; i < 2; i++) {
      HttpResponse<String> r =
          admin.send("POST", "/voxca/v1/autosign_check", pem, "Content-Type", "text/plain");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(JSON.readTree(r.body()).path("autosign").asBoolean()).isTrue();
      assertThat(JSON.readTree(r.body()).path("reason").asText()).contains("dry run");
    }
    assertThat(anon.get(CA + "certificate_request/dry.token.test").statusCode())
        .as("nothing stored")
        .isEqualTo(404);
    try (var files = Files.walk(server.cadir())) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        assertThat(Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1))
            .as(f.toString())
            .doesNotContain(secret);
      }
    }
    assertThat(submit("dry.token.test", secret)).as("the dry runs took no use").isTrue();
  }

  private static String state(JsonNode list, String id) {
    for (JsonNode t : list) {
      if (t.path("id").asText().equals(id)) {
        return t.path("state").asText();
      }
    }
    return "absent";
  }
}
