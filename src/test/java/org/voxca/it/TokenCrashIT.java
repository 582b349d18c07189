package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.pki.Certificates;
import org.voxca.pki.Keys;
import org.voxca.store.puppetdir.CaPaths;
import org.voxca.store.puppetdir.ConsistencyCheck;
import org.voxca.testing.ServerProcess;
import org.voxca.testing.TestClient;
import org.voxca.testing.TestPki;

/**
 * Single use survives a crash on the directory store: a token's use is durable before its
 * certificate is answered, so after SIGKILL and a restart the token is still used (its replay stays
 * pending), a revoked one still revoked, and the CA directory is consistent.
 */
class TokenCrashIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  private Process start(int port) throws Exception {
    return ServerProcess.start(
        port,
        "voxca.test",
        "false",
        dir.resolve("server.log"),
        "--confdir",
        dir.resolve("puppet").toString(),
        "--setting",
        "keylength=2048");
  }

  private TestClient[] clients(Process server, int port, CaPaths paths) throws Exception {
    long deadline = System.currentTimeMillis() + 60_000;
    while (System.currentTimeMillis() < deadline) {
      assertThat(server.isAlive()).as(() -> log()).isTrue();
      Path host = dir.resolve("puppet/ssl/certs/voxca.test.pem");
      if (Files.exists(paths.cacert()) && Files.exists(host)) {
        List<X509Certificate> ca = Certificates.readCertificates(Files.readString(paths.cacert()));
        TestClient anon = new TestClient(port, ca, null, null);
        try {
          if (anon.get("/status/v1/simple").statusCode() == 200) {
            TestClient admin =
                new TestClient(
                    port,
                    ca,
                    Certificates.readCertificates(Files.readString(host)).get(0),
                    Keys.readKeyPair(
                            Files.readString(dir.resolve("puppet/ssl/private_keys/voxca.test.pem")))
                        .getPrivate());
            return new TestClient[] {anon, admin};
          }
        } catch (RuntimeException e) {
          // not listening yet
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("never served: " + log());
  }

  private String log() {
    try {
      return Files.readString(dir.resolve("server.log"));
    } catch (Exception e) {
      return e.toString();
    }
  }

  private static String token(TestClient admin, String json) throws Exception {
    HttpResponse<String> r =
        admin.send("POST", "/voxca/v1/enrolment_tokens", json, "Content-Type", "application/json");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body()).path("token").asText();
  }

  private static boolean submit(TestClient anon, String name, String token) {
    String csr = TestPki.csr(name).challengePassword(token).pem();
    assertThat(anon.put("/puppet-ca/v1/certificate_request/" + name, csr).statusCode())
        .isEqualTo(200);
    return anon.get("/puppet-ca/v1/certificate/" + name).statusCode() == 200;
  }

  @Test
  void aUsedTokenStaysUsedAfterSigkill() throws Exception {
    CaPaths paths = CaPaths.under(dir.resolve("puppetserver/ca"));
    int port = ServerProcess.freePort();
    Process server = start(port);
    String used;
    String revoked;
    try {
      TestClient[] c = clients(server, port, paths);
      used = token(c[1], "{\"glob\":\"*.crash.test\",\"ttl\":600}");
      revoked = token(c[1], "{\"certname\":\"r.crash.test\",\"ttl\":600}");
      String id =
          JSON.readTree(c[1].get("/voxca/v1/enrolment_tokens").body()).get(1).path("id").asText();
      assertThat(c[1].delete("/voxca/v1/enrolment_tokens/" + id).statusCode()).isEqualTo(204);
      assertThat(submit(c[0], "one.crash.test", used)).isTrue();
    } finally {
      server.destroyForcibly(); // SIGKILL: no shutdown hook runs
      assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(ConsistencyCheck.run(paths, false, true).problems()).isEmpty();

    port = ServerProcess.freePort();
    server = start(port);
    try {
      TestClient[] c = clients(server, port, paths);
      assertThat(submit(c[0], "two.crash.test", used)).as("replay after the crash").isFalse();
      assertThat(submit(c[0], "r.crash.test", revoked)).isFalse();
      String status = c[1].get("/puppet-ca/v1/certificate_status/two.crash.test").body();
      assertThat(status).contains("was already used");
      assertThat(c[1].get("/puppet-ca/v1/certificate_status/r.crash.test").body())
          .contains("was revoked");
    } finally {
      server.destroy();
      server.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
