package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.testing.TestClient;
import org.voxca.testing.TestPki;
import org.voxca.testing.TestReplicas;
import org.voxca.testing.TestServer;

/**
 * Single use across two replicas on one PostgreSQL: a voxca token used on A is refused on B, and of
 * two CSRs racing for a token's last use on A and B exactly one is signed; a token in the autosign
 * gem's format, made by Ruby's jwt library, is accepted on A and its replay refused on B.
 */
class TokenReplicasIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CA = "/puppet-ca/v1/";
  private static final String GEM_SECRET = "a-shared-secret-of-the-gem's-generator";
  @TempDir static Path root;
  static TestReplicas replicas;

  @BeforeAll
  static void start() throws Exception {
    Files.createDirectories(root);
    Path gem = root.resolve("autosign.conf");
    Files.writeString(
        gem,
        "general:\n  loglevel: INFO\njwt_token:\n  secret: \""
            + GEM_SECRET
            + "\"\n  validity: '7200'\n  journalfile: /var/autosign/autosign.journal\n");
    replicas =
        TestReplicas.start(root, "false", "voxca { autosign-gem-config: \"" + gem + "\" }\n");
  }

  @AfterAll
  static void stop() {
    if (replicas != null) {
      replicas.close();
    }
  }

  private static String token(TestServer s, String json) throws Exception {
    HttpResponse<String> r =
        s.admin()
            .send("POST", "/voxca/v1/enrolment_tokens", json, "Content-Type", "application/json");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body()).path("token").asText();
  }

  private static boolean submit(TestServer s, String name, String token) {
    TestClient anon = s.anonymous();
    String csr = TestPki.csr(name).challengePassword(token).pem();
    assertThat(anon.put(CA + "certificate_request/" + name, csr).statusCode()).isEqualTo(200);
    return anon.get(CA + "certificate/" + name).statusCode() == 200;
  }

  private static String reason(TestServer s, String name) throws Exception {
    JsonNode status = JSON.readTree(s.admin().get(CA + "certificate_status/" + name).body());
    return status.path("voxca_pending_reason").asText();
  }

  @Test
  void aTokenUsedOnAIsRefusedOnB() throws Exception {
    String t = token(replicas.a, "{\"glob\":\"*.replay.test\",\"ttl\":600}");
    assertThat(submit(replicas.a, "one.replay.test", t)).isTrue();
    assertThat(submit(replicas.b, "two.replay.test", t)).isFalse();
    assertThat(reason(replicas.b, "two.replay.test")).contains("was already used");
    assertThat(reason(replicas.a, "two.replay.test"))
        .as("the reason is the store's")
        .contains("was already used");
  }

  @Test
  void twoReplicasRacingForTheLastUseSignOnce() throws Exception {
    for (int round = 0; round < 5; round++) {
      String t = token(replicas.b, "{\"glob\":\"*.race" + round + ".test\",\"ttl\":600}");
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        List<Future<Boolean>> racers = new ArrayList<>();
        int r = round;
        racers.add(pool.submit(() -> submit(replicas.a, "a.race" + r + ".test", t)));
        racers.add(pool.submit(() -> submit(replicas.b, "b.race" + r + ".test", t)));
        int signed = 0;
        for (Future<Boolean> f : racers) {
          signed += f.get(60, TimeUnit.SECONDS) ? 1 : 0;
        }
        assertThat(signed).as("round " + round).isEqualTo(1);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void anAutosignGemTokenMadeByRubyIsAcceptedOnceAcrossReplicas() throws Exception {
    String gem = rubyToken("gem01.test", "3600", "false", "string");
    assertThat(submit(replicas.a, "gem01.test", gem)).isTrue();
    replicas.b.admin().send("DELETE", CA + "certificate_status/gem01.test", null);
    assertThat(submit(replicas.b, "gem01.test", gem)).as("replay on B").isFalse();
    assertThat(reason(replicas.b, "gem01.test"))
        .contains("autosign-gem token")
        .contains("was already used");

    String reusable = rubyToken("/^web[0-9]+\\.gem\\.test$/", "3600", "true", "number");
    assertThat(submit(replicas.a, "web1.gem.test", reusable)).isTrue();
    assertThat(submit(replicas.b, "web2.gem.test", reusable)).isTrue();
    assertThat(submit(replicas.b, "db1.gem.test", reusable)).isFalse();
    assertThat(reason(replicas.b, "db1.gem.test")).contains("not db1.gem.test");

    String otherSecret =
        rubyToken("gem02.test", "3600", "false", "string", "not the configured secret");
    assertThat(submit(replicas.a, "gem02.test", otherSecret)).isFalse();
    assertThat(reason(replicas.a, "gem02.test")).contains("bad signature");
  }

  private static String rubyToken(
      String certname, String validfor, String reusable, String exp, String... secret)
      throws Exception {
    Path script = Path.of("src/test/resources/autosign-gem-token.rb");
    Process p =
        new ProcessBuilder(
                "ruby",
                script.toString(),
                certname,
                secret.length > 0 ? secret[0] : GEM_SECRET,
                validfor,
                reusable,
                exp)
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes()).trim();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("ruby-jwt (Debian's ruby-jwt) makes the token: " + out).isZero();
    return out;
  }
}
