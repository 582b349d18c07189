package org.voxca.ca.autosign;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Puppet's {@code autosign} setting read into the {@link AutosignPolicy} it names. */
public final class AutosignSetting {
  private AutosignSetting() {}

  /**
   * Puppet's {@code autosign} setting: {@code true}, {@code false}, or a path that is decided per
   * CSR — missing means never, executable means a policy executable, otherwise an autosign.conf of
   * globs.
   */
  public static AutosignPolicy of(String setting, Duration timeout, int maxConcurrent) {
    String s = setting.trim();
    if (s.equalsIgnoreCase("true")) {
      return AutosignPolicy.ALWAYS;
    }
    if (s.equalsIgnoreCase("false") || s.isEmpty()) {
      return AutosignPolicy.NEVER;
    }
    Path path = Path.of(s);
    if (!path.isAbsolute()) {
      throw new IllegalArgumentException("autosign must be true, false or an absolute path: " + s);
    }
    GlobFileAutosign globs = new GlobFileAutosign(path);
    ExecutableAutosign exec = new ExecutableAutosign(path, timeout, maxConcurrent);
    return (name, pem) -> {
      if (!Files.exists(path)) {
        return AutosignDecision.pending("autosign is off: " + path + " does not exist");
      }
      if (Files.isExecutable(path) && Files.isRegularFile(path)) {
        return exec.decide(name, pem);
      }
      return globs.decide(name, pem);
    };
  }
}
