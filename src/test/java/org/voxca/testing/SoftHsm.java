package org.voxca.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.List;
import java.util.UUID;

/**
 * SoftHSM2 tokens for tests, real ones: the module reads {@code SOFTHSM2_CONF} (set by the build
 * for the test JVM, under {@code target/softhsm}) once per process, so every test makes its own
 * token there with its own label, through Debian's {@code softhsm2-util}.
 */
public final class SoftHsm {
  public static final Path LIBRARY = Path.of("/usr/lib/softhsm/libsofthsm2.so");

  private static final int POOL = 16;
  private static ArrayDeque<String[]> pool;

  private SoftHsm() {}

  /** A token made for a test: its label, user PIN, and a 0600 file holding that PIN. */
  public record Token(String label, String pin, Path pinFile) {
    /** voxca's configuration for a CA key in this token, labelled {@code keyLabel}. */
    public String hocon(String keyLabel, String retry) {
      return "voxca { ca-key { type: pkcs11, library: \""
          + LIBRARY
          + "\", token-label: \""
          + label
          + "\", key-label: \""
          + keyLabel
          + "\", pin-file: \""
          + pinFile
          + "\", retry: "
          + retry
          + " } }\n";
    }
  }

  /** The configuration file the tests' SoftHSM2 reads, written (with its token folder) if new. */
  public static synchronized Path conf() throws IOException {
    String env = System.getenv("SOFTHSM2_CONF");
    if (env == null) {
      throw new IllegalStateException("SOFTHSM2_CONF is not set: run the tests through Maven");
    }
    Path conf = Path.of(env);
    Path tokens = tokens(conf);
    Files.createDirectories(tokens);
    if (!Files.exists(conf)) {
      Files.writeString(
          conf,
          "directories.tokendir = "
              + tokens
              + "\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n");
    }
    return conf;
  }

  /** The folder holding the tokens of {@code conf}. */
  public static Path tokens(Path conf) {
    return conf.resolveSibling("tokens");
  }

  /**
   * A fresh token for a test, its PIN in a file under {@code dir}. SoftHSM2 sees only the tokens
   * that existed when a process first loaded it, so the first call in a test JVM makes a pool of
   * them (in an emptied token folder) and each call takes the next; {@code prefix} names the user.
   */
  public static synchronized Token create(String prefix, Path dir) throws Exception {
    if (pool == null) {
      pool = new ArrayDeque<>();
      Path tokens = tokens(conf());
      try (var old = Files.walk(tokens)) {
        for (Path p : old.sorted(java.util.Comparator.reverseOrder()).toList()) {
          if (!p.equals(tokens)) {
            Files.delete(p);
          }
        }
      }
      for (int i = 0; i < POOL; i++) {
        String label = "test-" + i + "-" + UUID.randomUUID().toString().substring(0, 8);
        String pin = UUID.randomUUID().toString().substring(0, 12);
        run("--init-token", "--free", "--label", label, "--pin", pin, "--so-pin", "so-" + pin);
        pool.add(new String[] {label, pin});
      }
    }
    String[] next = pool.poll();
    if (next == null) {
      throw new IllegalStateException("the SoftHSM test pool is used up: raise SoftHsm.POOL");
    }
    Path pinFile = dir.resolve(prefix + "-" + next[0] + ".pin");
    Files.writeString(pinFile, next[1] + "\n");
    Files.setPosixFilePermissions(pinFile, PosixFilePermissions.fromString("rw-------"));
    return new Token(next[0], next[1], pinFile);
  }

  /** The folder holding {@code token}'s objects (SoftHSM2 names it by the token's serial). */
  public static Path folderOf(Token token) throws Exception {
    try (var dirs = Files.list(tokens(conf()))) {
      for (Path d : dirs.toList()) {
        Path info = d.resolve("token.object");
        if (Files.exists(info) && contains(Files.readAllBytes(info), token.label().getBytes())) {
          return d;
        }
      }
    }
    throw new IllegalStateException("no folder for token " + token.label());
  }

  private static boolean contains(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  /** Runs {@code softhsm2-util} with {@code args}; fails with its output when it fails. */
  public static String run(String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of("softhsm2-util"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("SOFTHSM2_CONF", conf().toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IllegalStateException("softhsm2-util " + args[0] + " failed: " + out);
    }
    return out;
  }
}
