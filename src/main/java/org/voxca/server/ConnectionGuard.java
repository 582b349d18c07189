package org.voxca.server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.io.ssl.SslHandshakeListener;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The accounting of every open TLS connection, one per socket: at most {@code perAddress} open from
 * one client address (the next is closed as soon as it opens), and a deadline from accept to a
 * complete handshake that no byte resets (a client that has not finished its handshake by then is
 * closed).
 *
 * <p>The address is recorded when the connection opens, because by the time a socket closes its
 * peer address can no longer be read. Each connection is released exactly once, whichever way it
 * ends (clean close, reset, failed or abandoned handshake, idle timeout, server-initiated close):
 * on Jetty's close event, and, should an end ever go unreported, by a sweep every few seconds of
 * connections whose socket is no longer open.
 */
final class ConnectionGuard implements Connection.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);
  private static final long SWEEP_MILLIS = 5_000;

  /** Why a connection was closed by voxca before it could serve a request. */
  enum Refusal {
    PER_ADDRESS,
    HANDSHAKE_TIMEOUT,
    HANDSHAKE_FAILED;

    String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final int perAddress;
  private final Duration handshakeDeadline;
  private final Supplier<Scheduler> scheduler;
  private final Map<EndPoint, Tracked> open = new ConcurrentHashMap<>();
  private final Map<InetAddress, AtomicInteger> byAddress = new ConcurrentHashMap<>();
  private final Map<Refusal, LongAdder> refused = new java.util.EnumMap<>(Refusal.class);
  private final LongAdder accepted = new LongAdder();
  private final LongAdder swept = new LongAdder();
  private final AtomicBoolean sweeping = new AtomicBoolean();
  private final RefusalLog log = new RefusalLog();

  /**
   * {@code perAddress} 0: no per-address cap; {@code handshakeDeadline} zero: none. The scheduler
   * is the connector's, read at first use (it exists once the connector started).
   */
  ConnectionGuard(int perAddress, Duration handshakeDeadline, Supplier<Scheduler> scheduler) {
    this.perAddress = perAddress;
    this.handshakeDeadline = handshakeDeadline;
    this.scheduler = scheduler;
    for (Refusal r : Refusal.values()) {
      refused.put(r, new LongAdder());
    }
  }

  /** One open connection: its address, taken at open, and its handshake deadline. */
  private static final class Tracked {
    final InetAddress address;
    volatile Scheduler.Task deadline;
    volatile boolean handshaken;

    Tracked(InetAddress address) {
      this.address = address;
    }
  }

  /**
   * A connection on a client's socket opened: the TLS connection, or first the connection that
   * reads the ClientHello to choose the server's certificate (the TLS connection replaces it on the
   * same socket, which stays accounted once, under one deadline). Connections over the decrypted
   * stream (HTTP) are not the socket's.
   */
  @Override
  public void onOpened(Connection connection) {
    EndPoint socket = connection.getEndPoint();
    if (socket instanceof EndPoint.Wrapper) {
      return;
    }
    Tracked t = open.get(socket);
    if (t == null) {
      startSweeping();
      accepted.increment();
      t = new Tracked(address(connection));
      open.put(socket, t);
      int n = byAddress.computeIfAbsent(t.address, k -> new AtomicInteger()).incrementAndGet();
      if (perAddress > 0 && n > perAddress) {
        refuse(socket, t, Refusal.PER_ADDRESS);
        return;
      }
      startDeadline(socket, t);
    }
    if (connection instanceof SslConnection ssl) {
      watchHandshake(ssl, t);
    }
  }

  private void watchHandshake(SslConnection ssl, Tracked t) {
    ssl.addHandshakeListener(
        new SslHandshakeListener() {
          @Override
          public void handshakeSucceeded(Event event) {
            t.handshaken = true;
            Scheduler.Task d = t.deadline;
            if (d != null) {
              d.cancel();
            }
          }

          @Override
          public void handshakeFailed(Event event, Throwable failure) {
            if (!t.handshaken) {
              refused.get(Refusal.HANDSHAKE_FAILED).increment();
            }
          }
        });
  }

  private void startDeadline(EndPoint socket, Tracked t) {
    if (!handshakeDeadline.isZero()) {
      t.deadline =
          scheduler
              .get()
              .schedule(
                  () -> {
                    if (!t.handshaken && open.containsKey(socket)) {
                      refuse(socket, t, Refusal.HANDSHAKE_TIMEOUT);
                    }
                  },
                  handshakeDeadline.toMillis(),
                  TimeUnit.MILLISECONDS);
    }
  }

  /**
   * A connection closed: its socket's slot is freed when the socket closed with it (not when one
   * connection replaced another on an open socket).
   */
  @Override
  public void onClosed(Connection connection) {
    EndPoint socket = connection.getEndPoint();
    if (!socket.isOpen()) {
      release(socket);
    }
  }

  /** Forgets {@code socket} and frees its address's slot: a no-op after the first call. */
  private void release(EndPoint socket) {
    Tracked t = open.remove(socket);
    if (t == null) {
      return;
    }
    Scheduler.Task d = t.deadline;
    if (d != null) {
      d.cancel();
    }
    byAddress.computeIfPresent(t.address, (k, v) -> v.decrementAndGet() <= 0 ? null : v);
  }

  private void refuse(EndPoint socket, Tracked t, Refusal why) {
    refused.get(why).increment();
    log.refused(why, t.address, perAddress, handshakeDeadline);
    socket.close();
  }

  /** Every few seconds: releases any connection whose socket closed without a close event. */
  private void startSweeping() {
    if (sweeping.compareAndSet(false, true)) {
      scheduler.get().schedule(this::sweep, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  private void sweep() {
    try {
      for (EndPoint c : open.keySet()) {
        if (!c.isOpen()) {
          swept.increment();
          release(c);
        }
      }
    } finally {
      try {
        scheduler.get().schedule(this::sweep, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
      } catch (RuntimeException stopped) {
        sweeping.set(false); // the connector is stopping
      }
    }
  }

  /** Open TLS connections now. */
  int openConnections() {
    return open.size();
  }

  /** Client addresses with at least one open connection now. */
  int openAddresses() {
    return byAddress.size();
  }

  long accepted() {
    return accepted.sum();
  }

  long refused(Refusal why) {
    return refused.get(why).sum();
  }

  /** Connections released by the sweep rather than their close event (expected: none). */
  long swept() {
    return swept.sum();
  }

  private static InetAddress address(Connection c) {
    SocketAddress remote = c.getEndPoint().getRemoteSocketAddress();
    if (remote instanceof InetSocketAddress i && i.getAddress() != null) {
      return i.getAddress();
    }
    return InetAddress.getLoopbackAddress(); // no peer address (not a TCP socket): one bucket
  }

  /** One WARN line every ten seconds at most, with the count of refusals since the last. */
  private static final class RefusalLog {
    private final AtomicInteger since = new AtomicInteger();
    private volatile long last;

    void refused(Refusal why, InetAddress a, int cap, Duration deadline) {
      int n = since.incrementAndGet();
      long now = System.nanoTime();
      if (now - last < 10_000_000_000L) {
        return;
      }
      last = now;
      since.set(0);
      String what =
          switch (why) {
            case PER_ADDRESS -> "more than " + cap + " open from one address";
            case HANDSHAKE_TIMEOUT ->
                "no complete TLS handshake within " + deadline.toMillis() + " ms";
            case HANDSHAKE_FAILED -> "failed TLS handshake";
          };
      LOG.warn(
          "Closed a connection from {}: {} ({} connections refused lately)",
          a.getHostAddress(),
          what,
          n);
    }
  }
}
