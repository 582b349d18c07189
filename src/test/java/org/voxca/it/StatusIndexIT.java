package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.pki.Pem;
import org.voxca.testing.TestClient;
import org.voxca.testing.TestPki;
import org.voxca.testing.TestServer;

/**
 * certificate_statuses is served from the in-memory index: it must say exactly what the per-name
 * status (read from the file) says, follow every write, and notice files changed behind voxca's
 * back.
 */
class StatusIndexIT {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dir;
  static TestServer server;
  static TestClient admin;

  @BeforeAll
  static void start() throws Exception {
    server =
        TestServer.builder(dir)
            .autosign("true")
            .hocon(
                "certificate-authority { allow-subject-alt-names: true, allow-authorization-extensions: true }")
            .start();
    admin = server.admin();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static JsonNode list(String query) throws Exception {
    var r =
        admin.get("/puppet-ca/v1/certificate_statuses/any" + query, "Accept", "application/json");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  static JsonNode entry(JsonNode list, String name) {
    for (JsonNode n : list) {
      if (n.get("name").asText().equals(name)) {
        return n;
      }
    }
    return null;
  }

  static void sign(String name, TestPki.CsrSpec csr) {
    assertThat(
            server
                .anonymous()
                .put("/puppet-ca/v1/certificate_request/" + name, csr.pem())
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void theListingSaysWhatTheFileSaysAndFollowsEveryWrite() throws Exception {
    sign(
        "rich.index.test",
        TestPki.csr("rich.index.test")
            .dns("rich.index.test", "alt.index.test")
            .ip("10.9.8.7")
            .extension("1.3.6.1.4.1.34380.1.3.13", false, "db"));
    sign("plain.index.test", TestPki.csr("plain.index.test"));
    JsonNode single =
        JSON.readTree(
            admin
                .get(
                    "/puppet-ca/v1/certificate_status/rich.index.test",
                    "Accept",
                    "application/json")
                .body());
    assertThat(single.get("authorization_extensions").get("pp_auth_role").asText()).isEqualTo("db");
    assertThat(single.get("subject_alt_names").toString())
        .contains("IP:10.9.8.7", "DNS:alt.index.test");
    assertThat(entry(list(""), "rich.index.test")).isEqualTo(single);
    assertThat(entry(list("?name=*.index.test"), "plain.index.test").get("state").asText())
        .isEqualTo("signed");

    assertThat(
            admin
                .put(
                    "/puppet-ca/v1/certificate_status/plain.index.test",
                    "{\"desired_state\":\"revoked\"}")
                .statusCode())
        .isEqualTo(204);
    assertThat(entry(list("?state=revoked"), "plain.index.test")).isNotNull();
    assertThat(entry(list("?state=signed"), "plain.index.test")).isNull();

    assertThat(
            admin.put("/puppet-ca/v1/clean", "{\"certnames\":[\"plain.index.test\"]}").statusCode())
        .isEqualTo(200);
    assertThat(entry(list(""), "plain.index.test")).isNull();
  }

  @Test
  void filesChangedBehindVoxcasBackAreNoticed() throws Exception {
    sign("doomed.index.test", TestPki.csr("doomed.index.test"));
    assertThat(entry(list(""), "doomed.index.test")).isNotNull();
    Path signed = server.cadir().resolve("signed");
    Files.delete(signed.resolve("doomed.index.test.pem"));
    X509Certificate foreign =
        TestPki.issue(
            server.issuer(),
            "foreign.index.test",
            TestPki.ecKey(),
            BigInteger.valueOf(999_999),
            false);
    Files.writeString(signed.resolve("foreign.index.test.pem"), Pem.encode(foreign));

    List<String> seen = new ArrayList<>();
    long deadline = System.currentTimeMillis() + 10_000;
    while (System.currentTimeMillis() < deadline) {
      JsonNode l = list("?name=*.index.test");
      seen.clear();
      l.forEach(n -> seen.add(n.get("name").asText()));
      if (seen.contains("foreign.index.test") && !seen.contains("doomed.index.test")) {
        break;
      }
      Thread.sleep(200);
    }
    assertThat(seen).contains("foreign.index.test").doesNotContain("doomed.index.test");
    assertThat(
            entry(list("?name=foreign.index.test"), "foreign.index.test")
                .get("serial_number")
                .asLong())
        .isEqualTo(999_999);
  }
}
