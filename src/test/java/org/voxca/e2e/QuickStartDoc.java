package org.voxca.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The shell commands of docs/quick-start.md, each under the step of the walk-through it is. */
final class QuickStartDoc {
  /** The steps {@link QuickStartE2EIT} runs; a command the document adds matches none of them. */
  static final List<String> COVERED =
      List.of(
          "build",
          "install",
          "edit",
          "start",
          "curl",
          "tar",
          "tarball serve",
          "source serve",
          "bootstrap",
          "list",
          "sign");

  private static final Map<String, String> STEP_BY_PREFIX = new LinkedHashMap<>();

  static {
    STEP_BY_PREFIX.put("mvn -B package", "build");
    STEP_BY_PREFIX.put("sudo apt install ", "install");
    STEP_BY_PREFIX.put("sudoedit ", "edit");
    STEP_BY_PREFIX.put("sudo systemctl enable --now voxca", "start");
    STEP_BY_PREFIX.put("curl ", "curl");
    STEP_BY_PREFIX.put("tar xzf ", "tar");
    STEP_BY_PREFIX.put("VOXCA_CONFIG=", "tarball serve");
    STEP_BY_PREFIX.put("./voxca serve", "source serve");
    STEP_BY_PREFIX.put("puppet ssl bootstrap ", "bootstrap");
    STEP_BY_PREFIX.put("voxca ca list", "list");
    STEP_BY_PREFIX.put("voxca ca sign ", "sign");
  }

  private QuickStartDoc() {}

  /** Step name to the command as written (its trailing comment removed). */
  static Map<String, String> commands(Path doc) throws IOException {
    Map<String, String> steps = new LinkedHashMap<>();
    boolean inShell = false;
    for (String line : Files.readAllLines(doc)) {
      if (line.startsWith("```")) {
        inShell = !inShell && line.equals("```sh");
        continue;
      }
      String command = line.replaceFirst("\\s+#.*$", "").trim();
      if (inShell && !command.isEmpty()) {
        steps.put(step(command), command);
      }
    }
    return steps;
  }

  private static String step(String command) {
    return STEP_BY_PREFIX.entrySet().stream()
        .filter(e -> command.startsWith(e.getKey()))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElse(command);
  }
}
