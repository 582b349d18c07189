package org.voxca.config;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.testing.LogCapture;

/**
 * A conf.d an operator can reason about: the packaged {@code voxca.conf} first, every other file
 * over it whatever its name; a key no setting reads is named in a WARN with the nearest known key.
 */
class ConfDirTest {
  @TempDir Path dir;

  private VoxcaConfig load(Path config) {
    return ConfigLoader.load(
        new ConfigLoader.Overrides(
            config,
            dir.resolve("puppet"),
            null,
            null,
            null,
            null,
            null,
            null,
            Map.of("certname", "ca.example"),
            null),
        dir);
  }

  @Test
  void anOperatorsFileOverridesThePackagedOneWhateverItsName() throws Exception {
    Path confd = Files.createDirectories(dir.resolve("conf.d"));
    Files.writeString(
        confd.resolve("voxca.conf"), "voxca { metrics { port: 9140 }, shed-after: 5s }");
    Files.writeString(confd.resolve("aaa-local.conf"), "voxca { metrics { port: 9999 } }");
    Files.writeString(confd.resolve("zz-later.conf"), "voxca { shed-after: 7s }");
    VoxcaConfig c = load(confd);
    assertThat(c.operations().metricsPort()).isEqualTo(9999);
    assertThat(c.operations().shedAfter()).hasSeconds(7);
  }

  @Test
  void aMisspeltKeyIsNamedWithTheNearestKnownOne() throws Exception {
    Path file = dir.resolve("voxca.conf");
    Files.writeString(
        file,
        "voxca { metrcis { port: 9141 }, max-connections: 100 }\n"
            + "certificate-authority { allow-subjet-alt-names: true, enable-infra-crl: false }");
    try (LogCapture log = new LogCapture()) {
      VoxcaConfig c = load(file);
      assertThat(c.operations().metricsPort()).isZero(); // the misspelt key changed nothing
      List<String> warns =
          log.events().stream()
              .filter(e -> e.getLevel() == Level.WARN)
              .map(ILoggingEvent::getFormattedMessage)
              .toList();
      assertThat(warns)
          .contains(
              "Unknown configuration key voxca.metrcis.port is ignored; did you mean"
                  + " voxca.metrics.port?",
              "Unknown configuration key certificate-authority.allow-subjet-alt-names is"
                  + " ignored; did you mean certificate-authority.allow-subject-alt-names?")
          .hasSize(2);
    }
  }

  /** The documented keys and the known keys are the same list: neither drifts from the other. */
  @Test
  void everyDocumentedVoxcaKeyIsKnownAndEveryKnownKeyDocumented() throws Exception {
    String doc = Files.readString(Path.of("docs/configuration.md"));
    String section = doc.substring(doc.indexOf("## HOCON: voxca's own keys"));
    section = section.substring(0, section.indexOf("\n## ", 5));
    Matcher m = Pattern.compile("(?m)^\\| `([a-z0-9.-]+)` \\|").matcher(section);
    java.util.Set<String> documented = new java.util.TreeSet<>();
    while (m.find()) {
      documented.add(m.group(1));
    }
    assertThat(documented).containsExactlyInAnyOrderElementsOf(KnownKeys.VOXCA);
  }
}
