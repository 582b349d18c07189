package org.voxca.soak;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicBoolean;
import org.voxca.testing.RawTls;

/**
 * Hostile connections from 127.0.0.2: handshakes broken off (closed, or reset) after a few bytes,
 * and a dozen handshakes trickled a byte every 1.5 s, each replaced when the server closes it.
 */
final class SoakHostile {
  private static final byte[] HELLO = {0x16, 0x03, 0x01, 0x3f, (byte) 0xff, 0x01, 0x00, 0x3f};
  private final int port;
  private final Tally tally;

  SoakHostile(int port, Tally tally) {
    this.port = port;
    this.tally = tally;
  }

  void run(AtomicBoolean stop) {
    Socket[] slow = new Socket[12];
    int[] sent = new int[slow.length];
    try {
      InetAddress from = InetAddress.getByName("127.0.0.2");
      for (long tick = 0; !stop.get(); tick++) {
        aborted(from, tick % 2 == 0);
        if (tick % 15 == 0) {
          for (int i = 0; i < slow.length; i++) {
            try {
              if (slow[i] == null || slow[i].isClosed()) {
                slow[i] = RawTls.tcp(port, from);
                sent[i] = 0;
                tally.hostile.increment();
              }
              slow[i].getOutputStream().write(HELLO[sent[i]++ % HELLO.length]);
            } catch (IOException closedByServer) {
              close(slow[i]);
            }
          }
        }
        Thread.sleep(100);
      }
    } catch (InterruptedException | IOException e) {
      Thread.currentThread().interrupt();
    } finally {
      for (Socket s : slow) {
        close(s);
      }
    }
  }

  private void aborted(InetAddress from, boolean reset) {
    try (Socket s = RawTls.tcp(port, from)) {
      tally.hostile.increment();
      s.getOutputStream().write(HELLO, 0, 3);
      if (reset) {
        s.setSoLinger(true, 0);
      }
    } catch (IOException refused) {
      // refused or cut: the server's business
    }
  }

  private static void close(Socket s) {
    if (s != null) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }
}
