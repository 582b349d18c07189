package org.voxca.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Assumptions;

/**
 * A PostgreSQL engine of one test's own ({@code scripts/postgres-private.sh}), which the test may
 * stop and start without disturbing the shared engine of every other test. Outside CI a machine
 * without PostgreSQL skips the test; in CI it fails it.
 */
public final class PrivatePostgres implements AutoCloseable {
  public static final String USER = "voxca_test";
  private static final Path SCRIPT = Path.of("scripts/postgres-private.sh");
  private final Path dir;
  private final int port;

  private PrivatePostgres(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  /** A fresh cluster, started, holding an empty database {@code voxca}. */
  public static PrivatePostgres start() throws Exception {
    Run init = run("init");
    if (init.code != 0) {
      if (!"true".equals(System.getenv("CI")) && init.code == 3) {
        Assumptions.abort("no PostgreSQL server binaries");
      }
      throw new IllegalStateException("postgres-private.sh init: " + init.out);
    }
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    PrivatePostgres pg = new PrivatePostgres(Path.of(init.out.strip()), port);
    pg.startAgain();
    try (Connection c = DriverManager.getConnection(pg.base() + "postgres", USER, "")) {
      c.createStatement().execute("CREATE DATABASE voxca");
    }
    return pg;
  }

  private String base() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/";
  }

  public String url() {
    return base() + "voxca";
  }

  public Connection connect() throws SQLException {
    return DriverManager.getConnection(url(), USER, "");
  }

  /** voxca's store configuration for this engine (trust authentication: any password). */
  public String hocon(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path pw = Files.writeString(dir.resolve("pg-password"), "unused\n");
    return "voxca { store { type: postgres, url: \""
        + url()
        + "\", user: "
        + USER
        + ", password-file: \""
        + pw
        + "\" } }\n";
  }

  /** A fast shutdown: open transactions are cut, new connections refused. */
  public void stop() throws Exception {
    check(run("stop", dir.toString()), "stop");
  }

  public void startAgain() throws Exception {
    check(run("start", dir.toString(), Integer.toString(port)), "start");
  }

  @Override
  public void close() throws Exception {
    run("destroy", dir.toString());
  }

  private static void check(Run r, String what) {
    if (r.code != 0) {
      throw new IllegalStateException("postgres-private.sh " + what + ": " + r.out);
    }
  }

  private record Run(int code, String out) {}

  private static Run run(String... args) throws Exception {
    String[] cmd = new String[args.length + 1];
    cmd[0] = SCRIPT.toAbsolutePath().toString();
    System.arraycopy(args, 0, cmd, 1, args.length);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Run(p.waitFor(), out);
  }
}
