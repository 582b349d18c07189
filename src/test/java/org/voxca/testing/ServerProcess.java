package org.voxca.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code voxca serve} as a real process of its own (to be killed with SIGKILL), on 127.0.0.1 with
 * autosign on, this JVM's class path, C1 and the serial collector (fast starts), its output
 * appended to {@code log}.
 */
public final class ServerProcess {
  private ServerProcess() {}

  /** A port free at this instant. */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  public static Process start(int port, String certname, Path log, String... args)
      throws IOException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "java",
                "-Xshare:auto",
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                "org.voxca.server.Main",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                String.valueOf(port),
                "--certname",
                certname,
                "--autosign",
                "true",
                "--setting",
                "dns_alt_names=localhost,IP:127.0.0.1"));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
  }
}
