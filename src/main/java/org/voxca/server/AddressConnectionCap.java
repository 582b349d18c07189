package org.voxca.server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At most {@code cap} open connections from one client address: the next is closed as soon as it
 * opens, so one client can tie up sockets and handshakes only up to its share. Counted on the TLS
 * connection (one per socket).
 */
final class AddressConnectionCap implements Connection.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(AddressConnectionCap.class);
  private final int cap;
  private final ConcurrentHashMap<InetAddress, AtomicInteger> open = new ConcurrentHashMap<>();
  private final AtomicInteger refusedSinceLog = new AtomicInteger();
  private volatile long lastLog;

  AddressConnectionCap(int cap) {
    this.cap = cap;
  }

  @Override
  public void onOpened(Connection connection) {
    InetAddress a = address(connection);
    if (a == null) {
      return;
    }
    int n = open.computeIfAbsent(a, k -> new AtomicInteger()).incrementAndGet();
    if (n > cap) {
      refused(a);
      connection.getEndPoint().close();
    }
  }

  @Override
  public void onClosed(Connection connection) {
    InetAddress a = address(connection);
    if (a == null) {
      return;
    }
    open.computeIfPresent(a, (k, v) -> v.decrementAndGet() <= 0 ? null : v);
  }

  /** Open connections from {@code a} (for tests and logs). */
  int openFrom(InetAddress a) {
    AtomicInteger n = open.get(a);
    return n == null ? 0 : n.get();
  }

  private static InetAddress address(Connection c) {
    if (!(c instanceof SslConnection)) {
      return null;
    }
    SocketAddress remote = c.getEndPoint().getRemoteSocketAddress();
    return remote instanceof InetSocketAddress i ? i.getAddress() : null;
  }

  /** One WARN line every ten seconds at most, with the count of refusals since the last. */
  private void refused(InetAddress a) {
    int since = refusedSinceLog.incrementAndGet();
    long now = System.nanoTime();
    if (now - lastLog > 10_000_000_000L) {
      lastLog = now;
      refusedSinceLog.set(0);
      LOG.warn(
          "Closed a connection from {}: more than {} open from one address ({} refused lately)",
          a.getHostAddress(),
          cap,
          since);
    }
  }
}
