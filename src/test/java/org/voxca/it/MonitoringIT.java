package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.testing.Scrape;
import org.voxca.testing.ServerProcess;
import org.voxca.testing.TestPki;
import org.voxca.testing.TestServer;

/**
 * The alert rules and the Grafana dashboard the package ships: every metric they name is one a
 * running voxca exports, the rules pass {@code promtool check rules}, and their unit tests ({@code
 * promtool test rules}) prove each alert fires on what it is for.
 */
class MonitoringIT {
  private static final Path DIR = Path.of("src/deb/monitoring");
  private static final Pattern METRIC = Pattern.compile("\\bvoxca_[a-z0-9_]+");
  @TempDir Path root;

  @Test
  void everyMetricTheRulesAndTheDashboardNameIsExported() throws Exception {
    Set<String> named = new TreeSet<>();
    named.addAll(metrics(Files.readString(DIR.resolve("voxca-alerts.yml"))));
    JsonNode dashboard = new ObjectMapper().readTree(DIR.resolve("voxca-dashboard.json").toFile());
    List<String> queries = new ArrayList<>();
    dashboard
        .get("panels")
        .forEach(p -> p.get("targets").forEach(t -> queries.add(t.get("expr").asText())));
    assertThat(queries).hasSizeGreaterThan(15);
    queries.forEach(q -> named.addAll(metrics(q)));

    int port = ServerProcess.freePort();
    try (TestServer s =
        TestServer.builder(root).hocon("voxca { metrics { port: " + port + " } }").start()) {
      // one request answered, so the request histogram has a series
      assertThat(
              s.anonymous()
                  .put("/puppet-ca/v1/certificate_request/m.test", TestPki.csr("m.test").pem())
                  .statusCode())
          .isEqualTo(200);
      // the per-CA gauges come with the first census, seconds after the start
      Set<String> exported = exported(port);
      for (long end = System.nanoTime() + 20_000_000_000L;
          !exported.containsAll(named) && System.nanoTime() < end; ) {
        Thread.sleep(200);
        exported = exported(port);
      }
      assertThat(exported).containsAll(named);
    }
  }

  @Test
  void promtoolChecksTheRulesAndTheirTestsPass() throws Exception {
    boolean ci = "true".equals(System.getenv("CI"));
    boolean present = Files.isExecutable(Path.of("/usr/bin/promtool"));
    assumeTrue(present || ci, "promtool is not installed (scripts/install-test-deps.sh does it)");
    assertThat(present).as("CI installs promtool").isTrue();
    assertThat(promtool("check", "rules", "voxca-alerts.yml")).contains("SUCCESS: 8 rules found");
    assertThat(promtool("test", "rules", "voxca-alerts.test.yml")).contains("SUCCESS");
  }

  private static Set<String> exported(int port) {
    Set<String> exported = new TreeSet<>();
    for (String sample : Scrape.of(port).keySet()) {
      int brace = sample.indexOf('{');
      exported.add(brace < 0 ? sample : sample.substring(0, brace));
    }
    return exported;
  }

  private static String promtool(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("promtool"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(DIR.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  private static Set<String> metrics(String text) {
    Set<String> out = new TreeSet<>();
    Matcher m = METRIC.matcher(text);
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }
}
