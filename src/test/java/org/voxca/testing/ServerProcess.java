package org.voxca.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

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

  /**
   * Runs every load on a thread of its own until {@code server} is killed with SIGKILL at a random
   * instant between 100 and 700 ms; each load runs until the flag it is given is set.
   */
  public static void killDuringLoad(
      Process server, Random timing, List<Consumer<AtomicBoolean>> loads)
      throws InterruptedException {
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> clients = new ArrayList<>();
    for (Consumer<AtomicBoolean> load : loads) {
      Thread th = new Thread(() -> load.accept(stop));
      th.start();
      clients.add(th);
    }
    Thread.sleep(timing.nextInt(100, 700));
    server.destroyForcibly();
    server.waitFor(30, TimeUnit.SECONDS);
    stop.set(true);
    for (Thread th : clients) {
      th.join(30_000);
    }
  }

  /**
   * {@code serve} on 127.0.0.1:{@code port} as {@code certname}, autosigning, its alt names local.
   */
  public static List<String> serveArgs(int port, String certname) {
    return serveArgs(port, certname, "true");
  }

  /** As {@link #serveArgs(int, String)}, with Puppet's autosign setting {@code autosign}. */
  public static List<String> serveArgs(int port, String certname, String autosign) {
    return List.of(
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        String.valueOf(port),
        "--certname",
        certname,
        "--autosign",
        autosign,
        "--setting",
        "dns_alt_names=localhost,IP:127.0.0.1");
  }

  public static Process start(int port, String certname, Path log, String... args)
      throws IOException {
    return start(port, certname, "true", log, args);
  }

  /** As {@link #start(int, String, Path, String...)}, with Puppet's autosign setting. */
  public static Process start(int port, String certname, String autosign, Path log, String... args)
      throws IOException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "java",
                "-Xshare:auto",
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "--add-exports",
                "jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                "org.voxca.Main"));
    cmd.addAll(serveArgs(port, certname, autosign));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
  }
}
