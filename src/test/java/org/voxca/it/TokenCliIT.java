package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.testing.CliRunner;
import org.voxca.testing.CliRunner.Run;
import org.voxca.testing.TestPki;
import org.voxca.testing.TestServer;

/**
 * The operator's token verbs through the running CA: {@code voxca ca token create} prints the
 * secret (and the csr_attributes.yaml to use), {@code list} shows it without its secret, {@code
 * revoke} ends it; {@code voxca ca autosign-check} says what would happen and why; {@code voxca ca
 * list} shows why each request is pending.
 */
class TokenCliIT {
  @TempDir static Path dir;
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.builder(dir.resolve("server")).autosign("false").start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static Run ca(String... args) {
    return CliRunner.ca(
        server.root, List.of("--server-url", "https://127.0.0.1:" + server.port()), args);
  }

  @Test
  void createListCheckRevoke() throws Exception {
    Run made =
        ca(
            "token",
            "create",
            "--certname",
            "cli.token.test",
            "--ttl",
            "10m",
            "--extension",
            "pp_role=web");
    assertThat(made.code()).as(made.err()).isZero();
    String secret = made.out().trim();
    assertThat(secret).startsWith("voxca-enrol-");
    assertThat(made.err()).contains("csr_attributes.yaml").contains("1.2.840.113549.1.9.7");

    Run list = ca("token", "list");
    assertThat(list.code()).as(list.err()).isZero();
    assertThat(list.out())
        .contains("cli.token.test")
        .contains("valid")
        .contains("0/1")
        .contains("pp_role=web");
    assertThat(list.out()).doesNotContain(secret);

    Path csr =
        Files.writeString(
            dir.resolve("cli.csr"), TestPki.csr("cli.token.test").challengePassword(secret).pem());
    Run yes = ca("autosign-check", "--csr", csr.toString());
    assertThat(yes.code()).as(yes.err()).isZero();
    assertThat(yes.out()).contains("would be signed").contains("dry run");
    Path plain = Files.writeString(dir.resolve("plain.csr"), TestPki.csr("plain.token.test").pem());
    Run no = ca("autosign-check", "--csr", plain.toString());
    assertThat(no.code()).isEqualTo(1);
    assertThat(no.out()).contains("would stay pending").contains("autosign is off");

    String id =
        list.out()
            .lines()
            .filter(l -> l.contains("cli.token.test"))
            .findFirst()
            .orElseThrow()
            .split("\\s+")[0];
    Run revoke = ca("token", "revoke", id);
    assertThat(revoke.code()).as(revoke.err()).isZero();
    assertThat(ca("token", "list").out()).contains("revoked");
    Run again = ca("token", "revoke", "0000000000000000");
    assertThat(again.code()).isEqualTo(1);
    assertThat(again.err()).contains("404");
    Run bad = ca("token", "create", "--glob", "a*.test");
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.err()).contains("400").contains("glob must be");

    assertThat(
            server
                .anonymous()
                .put(
                    "/puppet-ca/v1/certificate_request/cli.token.test",
                    TestPki.csr("cli.token.test").challengePassword(secret).pem())
                .statusCode())
        .isEqualTo(200);
    Run pending = ca("list");
    assertThat(pending.code()).as(pending.err()).isZero();
    assertThat(pending.out())
        .contains("PENDING")
        .contains("cli.token.test")
        .contains("was revoked");
  }
}
