package org.voxca.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A TCP proxy in front of PostgreSQL (plain protocol: {@code sslmode=disable}) that can lose a
 * commit's answer: once armed, the first connection that sent {@code trigger} and then receives the
 * server's {@code COMMIT} completion is cut before that answer is passed on — the transaction is
 * committed in the database, and its client cannot know.
 */
public final class CuttingProxy implements AutoCloseable {
  private static final byte[] COMMIT = "COMMIT\0".getBytes(StandardCharsets.US_ASCII);
  private final ServerSocket listener;
  private final int target;
  private final AtomicBoolean armed = new AtomicBoolean();
  private final AtomicBoolean cut = new AtomicBoolean();
  private volatile String trigger = "";

  public CuttingProxy(int targetPort) throws IOException {
    this.target = targetPort;
    listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread accept = new Thread(this::acceptLoop, "cutting-proxy");
    accept.setDaemon(true);
    accept.start();
  }

  public int port() {
    return listener.getLocalPort();
  }

  /** Cuts the next commit answer of a connection that has sent {@code text}. */
  public void armAfter(String text) {
    trigger = text;
    cut.set(false);
    armed.set(true);
  }

  /** True once a commit's answer was cut. */
  public boolean didCut() {
    return cut.get();
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket();
        server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target), 5000);
        AtomicBoolean sawTrigger = new AtomicBoolean();
        pump(client, server, sawTrigger, true);
        pump(server, client, sawTrigger, false);
      } catch (IOException e) {
        // closed, or the database refused: the client sees its connection fail
      }
    }
  }

  private void pump(Socket from, Socket to, AtomicBoolean sawTrigger, boolean upstream) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[65536];
              try (from;
                  to) {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                for (int n; (n = in.read(buf)) > 0; ) {
                  if (upstream && contains(buf, n, trigger.getBytes(StandardCharsets.US_ASCII))) {
                    sawTrigger.set(true);
                  }
                  if (!upstream
                      && sawTrigger.get()
                      && contains(buf, n, COMMIT)
                      && armed.compareAndSet(true, false)) {
                    cut.set(true);
                    return; // both sockets close: the commit's answer is lost
                  }
                  out.write(buf, 0, n);
                  out.flush();
                }
              } catch (IOException e) {
                // one side closed
              }
            },
            "cutting-proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  private static boolean contains(byte[] buf, int n, byte[] needle) {
    if (needle.length == 0) {
      return false;
    }
    outer:
    for (int i = 0; i + needle.length <= n; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (buf[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  @Override
  public void close() throws IOException {
    listener.close();
  }
}
