package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * docs/openapi.yaml is clean under Redocly's recommended ruleset: no error, no warning, beyond the
 * exceptions {@code .redocly.lint-ignore.yaml} names and explains. Runs the real linter from npm
 * (CI installs Node.js; elsewhere the test is skipped without it).
 */
class OpenApiLintIT {
  @Test
  void theApiDocumentIsLintClean() throws Exception {
    boolean ci = "true".equals(System.getenv("CI"));
    boolean npx =
        java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
            .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, "npx")));
    assumeTrue(npx || ci, "Node.js is not installed (scripts/install-test-deps.sh does it)");
    assertThat(npx).as("CI installs Node.js").isTrue();
    // Redocly 2 needs Node.js 20; Debian 12's is 18, which the 1.34 line supports
    String version = nodeMajor() >= 20 ? "2.77.0" : "1.34.20";
    Process p =
        new ProcessBuilder(
                List.of(
                    "npx",
                    "-y",
                    "@redocly/cli@" + version,
                    "lint",
                    "--format=summary",
                    "docs/openapi.yaml"))
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("docs/openapi.yaml: validated");
    assertThat(out.lines().filter(l -> l.startsWith("error") || l.startsWith("warning")))
        .as(out)
        .isEmpty();
  }

  private static int nodeMajor() throws Exception {
    Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
    String v = new String(p.getInputStream().readAllBytes()).trim(); // v20.20.2
    p.waitFor(30, TimeUnit.SECONDS);
    return Integer.parseInt(v.substring(1, v.indexOf('.')));
  }
}
