package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.testing.Await;
import org.voxca.testing.RawTls;
import org.voxca.testing.Scrape;
import org.voxca.testing.ServerProcess;
import org.voxca.testing.TestServer;

/**
 * The connection defences release as well as refuse: an address's slots come back however its
 * connections end, a handshake that never completes is closed at its deadline whatever bytes
 * trickle in, and one address's slow handshakes cannot starve another's requests.
 */
class ConnectionGuardIT {
  /** The first bytes of a TLS record announcing a ClientHello far longer than what follows. */
  private static final byte[] HELLO = {0x16, 0x03, 0x01, 0x3f, (byte) 0xff, 0x01, 0x00, 0x3f};

  @TempDir static Path dir;
  static TestServer strict;
  static int metrics;

  @BeforeAll
  static void start() throws Exception {
    metrics = ServerProcess.freePort();
    strict =
        TestServer.builder(dir.resolve("strict"))
            .hocon(
                "voxca { max-connections-per-address: 4, handshake-timeout: 2s, metrics { port: "
                    + metrics
                    + " } }")
            .start();
  }

  @AfterAll
  static void stop() {
    strict.close();
  }

  @Test
  void everyWayAConnectionEndsGivesItsSlotBack() throws Exception {
    InetAddress client = InetAddress.getByName("127.0.0.3");
    double refusedBefore = Scrape.value(metrics, "voxca_connections_refused_total", "per_address");
    for (int round = 0; round < 25; round++) {
      // the server closes after answering
      try (RawTls t = RawTls.open(strict.port(), strict.caBundle(), client)) {
        assertThat(t.getAndClose("/status/v1/simple")).startsWith("HTTP/1.1 200");
      }
      // the client closes after its handshake
      RawTls.open(strict.port(), strict.caBundle(), client).close();
      // the client resets after its handshake
      RawTls.open(strict.port(), strict.caBundle(), client).reset();
      // an abandoned handshake: connected, nothing sent
      RawTls.tcp(strict.port(), client).close();
      // a failed handshake: not TLS at all
      try (Socket s = RawTls.tcp(strict.port(), client)) {
        s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
        s.setSoTimeout(5000);
        drain(s.getInputStream());
      }
    }
    Await.until(
        Duration.ofSeconds(10),
        "every connection released",
        () -> Scrape.value(metrics, "voxca_connections_open") == 0.0);
    try (RawTls t = RawTls.open(strict.port(), strict.caBundle(), client)) {
      assertThat(t.getAndClose("/status/v1/simple"))
          .as("125 connections later, well past a cap of 4, the address is still served")
          .startsWith("HTTP/1.1 200");
    }
    assertThat(Scrape.value(metrics, "voxca_connections_refused_total", "per_address"))
        .as("none of them refused")
        .isEqualTo(refusedBefore);
    assertThat(Scrape.value(metrics, "voxca_connections_refused_total", "handshake_failed"))
        .isGreaterThanOrEqualTo(25.0);
  }

  @Test
  void theCapRefusesPastItsShareAndReleasesWhenOneCloses() throws Exception {
    InetAddress client = InetAddress.getByName("127.0.0.4");
    List<RawTls> held = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        held.add(RawTls.open(strict.port(), strict.caBundle(), client));
      }
      double before = Scrape.value(metrics, "voxca_connections_refused_total", "per_address");
      boolean fifthServed;
      try (RawTls fifth = RawTls.open(strict.port(), strict.caBundle(), client)) {
        fifthServed = fifth.getAndClose("/status/v1/simple").startsWith("HTTP/1.1 200");
      } catch (IOException closed) {
        fifthServed = false;
      }
      assertThat(fifthServed).as("a fifth connection from one address").isFalse();
      assertThat(Scrape.value(metrics, "voxca_connections_refused_total", "per_address"))
          .isEqualTo(before + 1);
      held.remove(0).close();
      Await.until(
          Duration.ofSeconds(5),
          "a slot freed",
          () -> Scrape.value(metrics, "voxca_connections_open") <= 3.0);
      try (RawTls again = RawTls.open(strict.port(), strict.caBundle(), client)) {
        assertThat(again.getAndClose("/status/v1/simple")).startsWith("HTTP/1.1 200");
      }
    } finally {
      for (RawTls t : held) {
        t.close();
      }
    }
  }

  @Test
  void aTrickledHandshakeIsClosedAtItsDeadlineAndReleased() throws Exception {
    long descriptors = descriptors();
    trickledToTheDeadline(InetAddress.getByName("127.0.0.5"), HELLO);
    // a record short enough to be read whole before any TLS engine exists (the native engine reads
    // the ClientHello first to choose its certificate): the same deadline, from the same instant
    trickledToTheDeadline(InetAddress.getByName("127.0.0.6"), SHORT_HELLO);
    trickledToTheDeadline(InetAddress.getByName("127.0.0.5"), HELLO);
    // the engines of the cut handshakes are freed with their connections, not at some later
    // collection (BoringSSL's holds a pipe each: two descriptors)
    assertThat(descriptors())
        .as("open descriptors of this JVM")
        .isLessThanOrEqualTo(descriptors + 2);
  }

  private static long descriptors() throws IOException {
    try (var fds = java.nio.file.Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    }
  }

  /** A ClientHello record of 512 bytes, of which the client sends these first few. */
  private static final byte[] SHORT_HELLO = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01};

  private void trickledToTheDeadline(InetAddress client, byte[] hello) throws Exception {
    double before = Scrape.value(metrics, "voxca_connections_refused_total", "handshake_timeout");
    long t0 = System.nanoTime();
    boolean closedByServer = false;
    try (Socket s = RawTls.tcp(strict.port(), client)) {
      s.setSoTimeout(200);
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      // one byte every 200 ms: each one would reset an idle timeout, none resets the deadline
      for (int i = 0; i < 40 && !closedByServer; i++) {
        try {
          out.write(hello[i % hello.length]);
          out.flush();
          closedByServer = in.read() == -1;
        } catch (SocketTimeoutException quiet) {
          // still open
        } catch (IOException reset) {
          closedByServer = true;
        }
      }
    }
    long millis = (System.nanoTime() - t0) / 1_000_000;
    assertThat(closedByServer).as("closed by the server within 8 s").isTrue();
    assertThat(millis).as("closed near the 2 s deadline").isBetween(1_500L, 5_000L);
    assertThat(Scrape.value(metrics, "voxca_connections_refused_total", "handshake_timeout"))
        .isGreaterThanOrEqualTo(before + 1);
    Await.until(
        Duration.ofSeconds(5),
        "the trickled connection released",
        () -> Scrape.value(metrics, "voxca_connections_open") == 0.0);
  }

  /**
   * With the default limits, 300 sockets from one address trickling a ClientHello a byte a second
   * (reconnecting whenever closed) leave another address served: at least 95% of its requests, each
   * on a new connection, succeed.
   */
  @Test
  void slowHandshakesFromOneAddressDoNotStarveAnother() throws Exception {
    try (TestServer defaults =
        TestServer.builder(dir.resolve("defaults")).productionLimits().start()) {
      InetAddress attacker = InetAddress.getByName("127.0.0.2");
      AtomicBoolean attacking = new AtomicBoolean(true);
      Thread attack = new Thread(() -> trickle(defaults.port(), attacker, 300, attacking));
      attack.start();
      try {
        Thread.sleep(3000); // the attack in place
        int ok = 0;
        int tries = 40;
        for (int i = 0; i < tries; i++) {
          try (RawTls t =
              RawTls.open(defaults.port(), defaults.caBundle(), InetAddress.getLoopbackAddress())) {
            if (t.getAndClose("/puppet-ca/v1/certificate/ca").startsWith("HTTP/1.1 200")) {
              ok++;
            }
          } catch (IOException refused) {
            // counted as a failure
          }
          Thread.sleep(300);
        }
        assertThat(ok)
            .as("requests served during the attack, of " + tries)
            .isGreaterThanOrEqualTo(38);
      } finally {
        attacking.set(false);
        attack.join();
      }
    }
  }

  /**
   * {@code n} sockets from {@code from}, one byte of a ClientHello each a second, until stopped.
   */
  private static void trickle(int port, InetAddress from, int n, AtomicBoolean on) {
    Socket[] sockets = new Socket[n];
    int[] sent = new int[n];
    try {
      while (on.get()) {
        for (int i = 0; i < n && on.get(); i++) {
          try {
            if (sockets[i] == null || sockets[i].isClosed()) {
              sockets[i] = RawTls.tcp(port, from);
              sent[i] = 0;
            }
            sockets[i].getOutputStream().write(HELLO[sent[i]++ % HELLO.length]);
          } catch (IOException closed) {
            if (sockets[i] != null) {
              closeQuietly(sockets[i]);
            }
          }
        }
        sleep(1000);
      }
    } finally {
      for (Socket s : sockets) {
        if (s != null) {
          closeQuietly(s);
        }
      }
    }
  }

  private static void drain(InputStream in) {
    byte[] b = new byte[4096];
    try {
      while (in.read(b) >= 0) {
        // until the server closes
      }
    } catch (IOException closed) {
      // reset or timed out: done either way
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
