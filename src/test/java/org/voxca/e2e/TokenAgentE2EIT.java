package org.voxca.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.pki.Certificates;
import org.voxca.testing.TestServer;

/**
 * Debian's puppet-agent, unchanged, bootstraps with an enrolment token in its csr_attributes.yaml
 * (custom_attributes challengePassword, extension_requests pp_role) while Puppet's autosign is off:
 * signed at submission, its pp_role in the certificate and never the token. A second agent with the
 * same token stays pending, and the CA says why.
 */
class TokenAgentE2EIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dir;
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    Tools.require("puppet");
    server = TestServer.builder(dir.resolve("server")).autosign("false").start();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static Tools.Result bootstrap(String certname, String token) throws Exception {
    Path agent = dir.resolve(certname);
    Files.createDirectories(agent.resolve("conf"));
    Files.writeString(
        agent.resolve("conf/csr_attributes.yaml"),
        "---\ncustom_attributes:\n  1.2.840.113549.1.9.7: \""
            + token
            + "\"\nextension_requests:\n  pp_role: web\n");
    return Tools.run(
        180,
        Tools.puppetSsl(agent, server.port(), certname, "bootstrap", "--waitforcert", "0")
            .toArray(String[]::new));
  }

  @Test
  void anAgentWithATokenIsSignedAtOnceAndItsReplayStaysPending() throws Exception {
    HttpResponse<String> made =
        server
            .admin()
            .send(
                "POST",
                "/voxca/v1/enrolment_tokens",
                "{\"glob\":\"*.token.test\",\"ttl\":600,\"extensions\":{\"pp_role\":\"web\"}}",
                "Content-Type",
                "application/json");
    assertThat(made.statusCode()).as(made.body()).isEqualTo(200);
    String token = JSON.readTree(made.body()).path("token").asText();

    Tools.Result first = bootstrap("web01.token.test", token);
    assertThat(first.exitCode()).as(first.output()).isZero();
    Path cert = dir.resolve("web01.token.test/ssl/certs/web01.token.test.pem");
    X509Certificate c = Certificates.readCertificates(Files.readString(cert)).get(0);
    assertThat(c.getExtensionValue("1.3.6.1.4.1.34380.1.1.13")).as("pp_role").isNotNull();
    assertThat(new String(c.getEncoded(), java.nio.charset.StandardCharsets.ISO_8859_1))
        .doesNotContain(token);

    Tools.Result replay = bootstrap("web02.token.test", token);
    assertThat(replay.exitCode()).as("pending: " + replay.output()).isNotZero();
    JsonNode status =
        JSON.readTree(
            server.admin().get("/puppet-ca/v1/certificate_status/web02.token.test").body());
    assertThat(status.path("state").asText()).isEqualTo("requested");
    assertThat(status.path("voxca_pending_reason").asText()).contains("was already used");
  }
}
