package org.voxca.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLSocket;

/**
 * A TLS socket that writes whatever bytes a test wants (broken framing, trickled bodies, HTTP/0.9
 * request lines) and reads whatever comes back: what an HTTP client library will not send.
 */
public final class RawTls implements AutoCloseable {
  private final SSLSocket socket;

  private RawTls(SSLSocket socket) {
    this.socket = socket;
  }

  /** Connects from {@code local} (another loopback address stands for another client). */
  public static RawTls open(int port, List<X509Certificate> trust, InetAddress local)
      throws IOException {
    return open(port, TestClient.sslContext(trust, null, null), local);
  }

  /** Connects from {@code local} with {@code tls} (which may present a client certificate). */
  public static RawTls open(int port, javax.net.ssl.SSLContext tls, InetAddress local)
      throws IOException {
    Socket plain = new Socket();
    if (local != null) {
      plain.bind(new InetSocketAddress(local, 0));
    }
    plain.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(plain, "127.0.0.1", port, true);
    s.setSoTimeout(15_000);
    s.startHandshake();
    return new RawTls(s);
  }

  /** The certificates the server sent, its own first. */
  public java.security.cert.Certificate[] peerChain() throws IOException {
    return socket.getSession().getPeerCertificates();
  }

  public void write(String text) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  /** Everything the server sends until it closes or stays quiet for {@code millis}. */
  public String readAll(int millis) throws IOException {
    socket.setSoTimeout(millis);
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    InputStream in = socket.getInputStream();
    byte[] b = new byte[8192];
    try {
      for (int n; (n = in.read(b)) > 0; ) {
        buf.write(b, 0, n);
      }
    } catch (SocketTimeoutException | javax.net.ssl.SSLException e) {
      // quiet or closed: what we have is the answer
    } catch (IOException e) {
      if (buf.size() == 0) {
        throw e;
      }
    }
    return buf.toString(StandardCharsets.ISO_8859_1);
  }

  /** One HTTP answer read whole: status, head (status line and headers) and body bytes. */
  public record Reply(int status, String head, byte[] body) {
    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    /** A header's value, or null. */
    public String header(String name) {
      for (String line : head.split("\r\n")) {
        int c = line.indexOf(':');
        if (c > 0 && line.substring(0, c).equalsIgnoreCase(name)) {
          return line.substring(c + 1).trim();
        }
      }
      return null;
    }
  }

  /**
   * One request with {@code Connection: close} ({@code headers} as name, value pairs; {@code body}
   * may be null) and its whole answer, read until the server closes.
   */
  public Reply exchange(String method, String path, byte[] body, String... headers)
      throws IOException {
    StringBuilder head =
        new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    for (int i = 0; i + 1 < headers.length; i += 2) {
      head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
    }
    if (body != null) {
      head.append("Content-Length: ").append(body.length).append("\r\n");
    }
    head.append("Connection: close\r\n\r\n");
    OutputStream out = socket.getOutputStream();
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    if (body != null) {
      out.write(body);
    }
    out.flush();
    byte[] all = readAll(30_000).getBytes(StandardCharsets.ISO_8859_1);
    int split = indexOf(all, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    if (split < 0 || all.length < 12) {
      throw new IOException("no HTTP answer (" + all.length + " bytes)");
    }
    String h = new String(all, 0, split, StandardCharsets.ISO_8859_1);
    byte[] b = java.util.Arrays.copyOfRange(all, split + 4, all.length);
    return new Reply(Integer.parseInt(h.substring(9, 12)), h, b);
  }

  private static int indexOf(byte[] a, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= a.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (a[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** Closes with a TCP reset (no close_notify, no FIN). */
  public void reset() throws IOException {
    socket.setSoLinger(true, 0);
    socket.close();
  }

  /**
   * {@code GET path} with {@code Connection: close}: the server's whole answer, read until it
   * closes the connection.
   */
  public String getAndClose(String path) throws IOException {
    write("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    return readAll(10_000);
  }

  /**
   * A plain TCP socket to {@code port} from {@code local}: for handshakes a TLS client would never
   * send (abandoned, trickled, not TLS at all).
   */
  public static Socket tcp(int port, InetAddress local) throws IOException {
    Socket plain = new Socket();
    plain.bind(new InetSocketAddress(local, 0));
    plain.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    return plain;
  }

  public boolean isClosed() {
    return socket.isClosed();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
