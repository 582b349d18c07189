package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.testing.Await;
import org.voxca.testing.TestPki;
import org.voxca.testing.TestServer;

/** The access log: one common-log line per request, the client's certname, never a body. */
class AccessLogIT {
  @TempDir Path dir;

  @Test
  void oneLinePerRequestWithTheCertnameAndNoBody() throws Exception {
    Path log = dir.resolve("logs/access.log");
    String csr = TestPki.csr("logged.test").pem();
    try (TestServer s =
        TestServer.builder(dir.resolve("ca"))
            .hocon("voxca { access-log: \"" + log + "\" }")
            .start()) {
      assertThat(s.anonymous().get("/puppet-ca/v1/certificate/ca").statusCode()).isEqualTo(200);
      assertThat(
              s.anonymous().put("/puppet-ca/v1/certificate_request/logged.test", csr).statusCode())
          .isEqualTo(200);
      assertThat(s.admin().get("/puppet-ca/v1/certificate_statuses/any").statusCode())
          .isEqualTo(200);
      assertThat(s.anonymous().get("/puppet-ca/v1/certificate/nobody.test?x=1").statusCode())
          .isEqualTo(404);
      Await.until(
          java.time.Duration.ofSeconds(5),
          "four access lines",
          () -> Files.exists(log) && Files.readAllLines(log).size() >= 4);
    }
    List<String> lines = Files.readAllLines(log);
    assertThat(lines)
        .hasSize(4)
        .allMatch(
            l ->
                l.matches(
                    "127\\.0\\.0\\.1 - \\S+ \\[\\d{2}/\\w{3}/\\d{4}:\\d{2}:\\d{2}:\\d{2} \\+0000\\] "
                        + "\"(GET|PUT) \\S+ HTTP/1\\.1\" \\d{3} \\d+ \\d+"));
    // Jetty writes a line once the exchange completes, so lines of back-to-back requests may swap.
    assertThat(line(lines, "/certificate/ca "))
        .contains(" - - [")
        .contains("\"GET /puppet-ca/v1/certificate/ca HTTP/1.1\" 200");
    assertThat(line(lines, "/certificate_request/logged.test "))
        .contains(" - - [")
        .contains("\"PUT /puppet-ca/v1/certificate_request/logged.test HTTP/1.1\" 200 0");
    assertThat(line(lines, "/certificate_statuses/any ")).contains(" - voxca.test [");
    assertThat(line(lines, "/certificate/nobody.test"))
        .contains("/certificate/nobody.test?x=1 HTTP/1.1\" 404");
    assertThat(
            java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(log)))
        .isEqualTo("rw-r-----");
    String all = String.join("\n", lines);
    assertThat(all).doesNotContain("BEGIN").doesNotContain(csr.split("\n")[1].substring(0, 20));
  }

  private static String line(List<String> lines, String path) {
    List<String> hits = lines.stream().filter(l -> l.contains(path)).toList();
    assertThat(hits).as(path).hasSize(1);
    return hits.get(0);
  }
}
