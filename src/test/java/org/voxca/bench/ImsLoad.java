package org.voxca.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * If-Modified-Since load: {@code threads} keep-alive TLS connections, each sending GETs of the CA
 * bundle and the CRL in turn with a future If-Modified-Since and reading the 304, for a fixed time
 * after a 5-second warm-up (the server's JIT needs about that long on 2 cores). A raw HTTP/1.1
 * client (one request in flight per connection): the JDK's HttpClient spends more CPU per request
 * than the server does, and client and server share the machine's cores.
 */
final class ImsLoad {
  private static final double WARM_SECONDS = 5;

  private ImsLoad() {}

  static void run(SSLContext ctx, int port, int threads, double seconds, String what)
      throws Exception {
    byte[][] requests = new byte[2][];
    String[] paths = {
      "/puppet-ca/v1/certificate/ca", "/puppet-ca/v1/certificate_revocation_list/ca"
    };
    for (int i = 0; i < 2; i++) {
      requests[i] =
          ("GET "
                  + paths[i]
                  + " HTTP/1.1\r\nHost: 127.0.0.1:"
                  + port
                  + "\r\nAccept: text/plain\r\n"
                  + "If-Modified-Since: Sun, 06 Nov 2033 08:49:37 GMT\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII);
    }
    AtomicLong failures = new AtomicLong();
    List<long[]> latencies = new ArrayList<>();
    List<Thread> workers = new ArrayList<>();
    long warm =
        System.nanoTime()
            + (long) (WARM_SECONDS * 1e9); // the JIT compiles on both sides meanwhile: not counted
    long end = warm + (long) (seconds * 1e9);
    for (int t = 0; t < threads; t++) {
      long[] lat = new long[4_000_000];
      latencies.add(lat);
      Thread th =
          new Thread(
              () -> {
                try (SSLSocket s =
                    (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port)) {
                  s.setTcpNoDelay(true);
                  s.startHandshake();
                  OutputStream out = s.getOutputStream();
                  InputStream in = new BufferedInputStream(s.getInputStream(), 8192);
                  int n = 0;
                  for (long i = 0; System.nanoTime() < end; i++) {
                    long a = System.nanoTime();
                    out.write(requests[(int) (i & 1)]);
                    out.flush();
                    if (!readNotModified(in)) {
                      failures.incrementAndGet();
                      return;
                    }
                    if (a > warm && n < lat.length - 1) {
                      lat[++n] = System.nanoTime() - a;
                    }
                  }
                  lat[0] = n;
                } catch (IOException e) {
                  failures.incrementAndGet();
                }
              });
      th.start();
      workers.add(th);
    }
    for (Thread th : workers) {
      th.join();
    }
    List<Long> all = new ArrayList<>();
    for (long[] lat : latencies) {
      for (int i = 1; i <= lat[0]; i++) {
        all.add(lat[i]);
      }
    }
    BootstrapBench.report(
        "If-Modified-Since -> 304 (CA and CRL, "
            + threads
            + " keep-alive connections, "
            + what
            + ")",
        all,
        seconds,
        failures.get());
  }

  /** Reads one response's head; true for a 304 without a body. */
  private static boolean readNotModified(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder(256);
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        return false;
      }
      head.append((char) b);
      matched =
          (b == '\r' && (matched == 0 || matched == 2))
                  || (b == '\n' && (matched == 1 || matched == 3))
              ? matched + 1
              : 0;
    }
    String h = head.toString();
    return h.startsWith("HTTP/1.1 304")
        && !h.toLowerCase(Locale.ROOT).contains("content-length: 1");
  }
}
