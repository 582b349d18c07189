package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.pki.Certificates;
import org.voxca.testing.CliRunner;
import org.voxca.testing.LogCapture;
import org.voxca.testing.TestClient;
import org.voxca.testing.TestPki;
import org.voxca.testing.TestServer;

/**
 * The audit log: one fsynced JSON line per change with its actor — autosign, the admin's certname,
 * the renewing agent, the offline CLI's OS user — and {@code voxca ca audit} reading it.
 */
class AuditLogIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CA = "/puppet-ca/v1/";
  @TempDir Path root;

  @Test
  void everyChangeIsOneLineWithItsActor() throws Exception {
    Files.createDirectories(root.resolve("puppet"));
    Files.writeString(root.resolve("puppet/autosign.conf"), "*.auto.test\n");
    Path audit = root.resolve("puppet/cache/voxca-audit.jsonl");
    String offlineUser = "cli:" + System.getProperty("user.name");
    String manualCsr = TestPki.csr("manual.test").pem();
    BigInteger autoSerial;
    String secretLine = manualCsr.split("\n")[2];
    LogCapture logs = new LogCapture();
    try (logs;
        TestServer s =
            TestServer.builder(root)
                .autosign(root.resolve("puppet/autosign.conf").toString())
                .hocon("certificate-authority { allow-auto-renewal: true }")
                .start()) {
      TestClient admin = s.admin();
      KeyPair key = TestPki.freshEcKey();
      ok(s.anonymous().put(CA + "certificate_request/one.auto.test", csrOf("one.auto.test", key)));
      X509Certificate auto = cert(s.anonymous().get(CA + "certificate/one.auto.test"));
      autoSerial = auto.getSerialNumber();
      ok(s.anonymous().put(CA + "certificate_request/manual.test", manualCsr));
      ok(admin.put(CA + "certificate_status/manual.test", "{\"desired_state\":\"signed\"}"));
      ok(s.anonymous().put(CA + "certificate_request/gone.test", TestPki.csr("gone.test").pem()));
      ok(admin.delete(CA + "certificate_request/gone.test"));
      ok(s.client(auto, key.getPrivate()).send("POST", CA + "certificate_renewal", ""));
      ok(admin.put(CA + "certificate_status/one.auto.test", "{\"desired_state\":\"revoked\"}"));
      ok(admin.put(CA + "clean", "{\"certnames\":[\"manual.test\"]}"));
      // a CSR that fails to parse: its body must not reach the log either
      assertThat(
              s.anonymous()
                  .put(
                      CA + "certificate_request/broken.test",
                      manualCsr.replace(secretLine, secretLine.substring(4) + "!!"))
                  .statusCode())
          .isEqualTo(400);
      // refused changes write nothing
      assertThat(
              admin
                  .put(CA + "certificate_status/nobody.test", "{\"desired_state\":\"revoked\"}")
                  .statusCode())
          .isEqualTo(404);
    }
    assertThat(
            CliRunner.ca(root, List.of(), "generate", "--ca-client", "--certname", "admin9.test")
                .code())
        .isZero();

    List<JsonNode> lines = new ArrayList<>();
    for (String l : Files.readAllLines(audit)) {
      lines.add(JSON.readTree(l));
    }
    assertThat(lines.stream().map(AuditLogIT::summary).toList())
        .containsExactly(
            "csr_submitted one.auto.test anonymous@127.0.0.1",
            "signed one.auto.test autosign",
            "csr_submitted manual.test anonymous@127.0.0.1",
            "autosign_declined manual.test anonymous@127.0.0.1",
            "signed manual.test voxca.test",
            "csr_submitted gone.test anonymous@127.0.0.1",
            "autosign_declined gone.test anonymous@127.0.0.1",
            "csr_deleted gone.test voxca.test",
            "renewed one.auto.test one.auto.test",
            "revoked one.auto.test voxca.test",
            "cleaned manual.test voxca.test",
            "signed admin9.test " + offlineUser);
    assertThat(lines.get(1).get("serials").get(0).asText()).isEqualTo(autoSerial.toString());
    JsonNode renewed = lines.get(8);
    assertThat(renewed.get("serials")).hasSize(2);
    assertThat(renewed.get("serials").get(0).asText()).isEqualTo(autoSerial.toString());
    // revocation covers the renewed certificate and the one it replaced
    assertThat(lines.get(9).get("serials")).hasSize(2);
    assertThat(lines).allMatch(l -> l.get("time").asText().endsWith("Z"));
    String raw = Files.readString(audit);
    assertThat(raw).doesNotContain("BEGIN").doesNotContain(manualCsr.split("\n")[1]);
    // nothing secret in the server's log: no key, no CSR body
    for (var e : logs.events()) {
      String text =
          e.getFormattedMessage()
              + (e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage());
      assertThat(text)
          .doesNotContain("PRIVATE KEY")
          .doesNotContain("BEGIN CERTIFICATE REQUEST")
          .doesNotContain(secretLine.substring(4, 40));
    }
    assertThat(logs.events()).isNotEmpty();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(audit)))
        .isEqualTo("rw-r-----");

    CliRunner.Run table = CliRunner.ca(root, List.of(), "audit", "--certname", "manual.test");
    assertThat(table.code()).as(table.err()).isZero();
    List<String> rows = table.out().lines().toList();
    assertThat(rows.get(0)).startsWith("TIME").contains("EVENT", "ACTOR", "SERIALS");
    assertThat(rows).hasSize(5);
    assertThat(rows.get(3)).contains("signed", "voxca.test", "manual.test");
    assertThat(rows.get(4)).contains("cleaned", "revoked and deleted");

    CliRunner.Run future = CliRunner.ca(root, List.of(), "audit", "--since", "2999-01-01");
    assertThat(future.out()).isEqualTo("No audit entries\n");
    CliRunner.Run recent = CliRunner.ca(root, List.of(), "audit", "--since", "1h");
    assertThat(recent.out().lines().count()).isEqualTo(13);
    CliRunner.Run bad = CliRunner.ca(root, List.of(), "audit", "--since", "yesterday-ish");
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.err()).contains("--since must be");
  }

  private static String summary(JsonNode l) {
    return l.get("event").asText()
        + " "
        + l.get("certname").asText()
        + " "
        + l.get("actor").asText();
  }

  private static String csrOf(String name, KeyPair key) {
    return TestPki.csr(name).key(key).pem();
  }

  private static void ok(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isBetween(200, 204);
  }

  private static X509Certificate cert(HttpResponse<String> r) {
    ok(r);
    return Certificates.readCertificates(r.body()).get(0);
  }
}
