package org.voxca.ca.autosign;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Decides whether a submitted CSR is signed at once (spec §5). Implementations must be safe to call
 * from many request threads.
 */
@FunctionalInterface
public interface AutosignPolicy {

  /**
   * @param csrPem the exact request body, as Puppet hands it to a policy executable
   */
  boolean shouldSign(String certname, byte[] csrPem);

  AutosignPolicy ALWAYS = (name, pem) -> true;
  AutosignPolicy NEVER = (name, pem) -> false;

  /**
   * Puppet's {@code autosign} setting: {@code true}, {@code false}, or a path that is decided per
   * CSR — missing means never, executable means a policy executable, otherwise an autosign.conf of
   * globs.
   */
  static AutosignPolicy fromSetting(String setting, Duration timeout, int maxConcurrent) {
    String s = setting.trim();
    if (s.equalsIgnoreCase("true")) {
      return ALWAYS;
    }
    if (s.equalsIgnoreCase("false") || s.isEmpty()) {
      return NEVER;
    }
    Path path = Path.of(s);
    if (!path.isAbsolute()) {
      throw new IllegalArgumentException("autosign must be true, false or an absolute path: " + s);
    }
    GlobFileAutosign globs = new GlobFileAutosign(path);
    ExecutableAutosign exec = new ExecutableAutosign(path, timeout, maxConcurrent);
    return (name, pem) -> {
      if (!Files.exists(path)) {
        return false;
      }
      if (Files.isExecutable(path) && Files.isRegularFile(path)) {
        return exec.shouldSign(name, pem);
      }
      return globs.shouldSign(name, pem);
    };
  }
}
