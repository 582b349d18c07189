package org.voxca.ca.autosign;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code autosign.conf}: one pattern a line. {@code #} lines and blank lines are skipped; a line
 * holding {@code #} or a space elsewhere is invalid and ignored (logged); {@code *} alone matches
 * all; {@code *.domain} matches the domain and every name below it, case-insensitively; anything
 * else is an exact, case-sensitive name. Re-read when the file's modification time changes.
 */
final class GlobFileAutosign implements AutosignPolicy {
  private static final Logger LOG = LoggerFactory.getLogger(GlobFileAutosign.class);
  private static final int SHOWN = 5;
  private final Path path;
  private volatile Cached cached = new Cached(null, List.of());

  private record Cached(FileTime mtime, List<String> patterns) {}

  GlobFileAutosign(Path path) {
    this.path = path;
  }

  @Override
  public AutosignDecision decide(String certname, byte[] csrPem) {
    List<String> patterns = patterns();
    for (String p : patterns) {
      if (matches(p, certname)) {
        return AutosignDecision.signed("pattern '" + p + "' in " + path);
      }
    }
    if (patterns.isEmpty()) {
      return AutosignDecision.pending(path + " holds no valid pattern");
    }
    List<String> shown = patterns.subList(0, Math.min(SHOWN, patterns.size()));
    String more = patterns.size() > SHOWN ? ", and " + (patterns.size() - SHOWN) + " more" : "";
    return AutosignDecision.pending(
        "no pattern in " + path + " matches (tried " + String.join(", ", shown) + more + ")");
  }

  private List<String> patterns() {
    try {
      FileTime mtime = Files.getLastModifiedTime(path);
      Cached c = cached;
      if (mtime.equals(c.mtime())) {
        return c.patterns();
      }
      List<String> patterns = parse(Files.readAllLines(path, StandardCharsets.UTF_8));
      cached = new Cached(mtime, patterns);
      return patterns;
    } catch (IOException e) {
      LOG.error("Cannot read autosign file {}: {}", path, e.toString());
      return List.of();
    }
  }

  List<String> parse(List<String> lines) {
    List<String> out = new ArrayList<>();
    for (String line : lines) {
      if (line.startsWith("#") || line.isBlank()) {
        continue;
      }
      if (line.contains("#") || line.contains(" ") || line.contains("\t")) {
        LOG.error("Invalid pattern '{}' found in {}", line, path);
        continue;
      }
      out.add(line);
    }
    return Collections.unmodifiableList(out);
  }

  static boolean matches(String pattern, String name) {
    if (pattern.equals("*")) {
      return true;
    }
    if (!pattern.startsWith("*")) {
      return pattern.equals(name);
    }
    List<String> glob = reversedLabels(pattern.toLowerCase(Locale.ROOT));
    glob = glob.subList(0, glob.size() - 1); // drop the leading "*" label
    List<String> labels = reversedLabels(name.toLowerCase(Locale.ROOT));
    return labels.size() >= glob.size() && labels.subList(0, glob.size()).equals(glob);
  }

  private static List<String> reversedLabels(String s) {
    List<String> l = new ArrayList<>(Arrays.asList(s.split("\\.", -1)));
    Collections.reverse(l);
    return l;
  }
}
