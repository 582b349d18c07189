package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package's {@code copyright} file (machine-readable, DEP-5) covers every library the build
 * bundles, names none it does not bundle, and defines every licence a stanza uses. Runs after
 * {@code package}, when {@code target/lib} holds exactly what the .deb and the tarball ship.
 */
class CopyrightIT {
  private static final Path COPYRIGHT = Path.of("src/deb/doc/copyright");
  private static final String LIB = "usr/share/voxca/lib/";

  @Test
  void everyBundledLibraryHasAStanzaAndEveryStanzaABundledLibrary() throws IOException {
    List<String> globs = new ArrayList<>();
    for (String line : Files.readAllLines(COPYRIGHT)) {
      if (line.startsWith("Files:")) {
        Arrays.stream(line.substring(6).trim().split("\\s+"))
            .filter(g -> g.startsWith(LIB))
            .map(g -> g.substring(LIB.length()))
            .forEach(globs::add);
      }
    }
    List<String> jars;
    try (Stream<Path> s = Files.list(Path.of("target/lib"))) {
      jars = s.map(p -> p.getFileName().toString()).sorted().toList();
    }
    assertThat(jars).as("target/lib after package").isNotEmpty();
    for (String jar : jars) {
      assertThat(globs.stream().anyMatch(g -> matcher(g).matches(Path.of(jar))))
          .as("a Files: stanza for " + jar)
          .isTrue();
    }
    for (String glob : globs) {
      assertThat(jars.stream().anyMatch(j -> matcher(glob).matches(Path.of(j))))
          .as("a bundled jar for the stanza " + glob)
          .isTrue();
    }
  }

  @Test
  void everyLicenceAStanzaNamesHasItsOwnParagraph() throws IOException {
    List<String> lines = Files.readAllLines(COPYRIGHT);
    List<String> defined = new ArrayList<>();
    List<String> used = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i);
      if (!line.startsWith("License: ")) {
        continue;
      }
      String value = line.substring("License: ".length()).trim();
      if (lines.get(i - 1).isBlank()) {
        defined.add(value); // a stand-alone licence paragraph
      } else {
        used.addAll(Arrays.asList(value.split(" or | and ")));
      }
    }
    assertThat(used).isNotEmpty();
    assertThat(defined).containsAll(used);
  }

  private static PathMatcher matcher(String glob) {
    return FileSystems.getDefault().getPathMatcher("glob:" + glob);
  }
}
