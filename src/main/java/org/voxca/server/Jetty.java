package org.voxca.server;

import java.util.List;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voxca.config.VoxcaConfig;
import org.voxca.http.PlainTextErrorHandler;
import org.voxca.tls.LiveTrustSslContextFactory;

/** Jetty as voxca runs it: one HTTPS connector, bounded threads and buffers, plain-text errors. */
final class Jetty {
  private static final Logger LOG = LoggerFactory.getLogger(Jetty.class);
  private final Server server;
  private final ServerConnector connector;
  private final ConnectionGuard guard;
  private final String tlsProvider;

  private Jetty(
      Server server, ServerConnector connector, ConnectionGuard guard, String tlsProvider) {
    this.server = server;
    this.connector = connector;
    this.guard = guard;
    this.tlsProvider = tlsProvider;
  }

  static Jetty start(
      VoxcaConfig.Webserver web,
      VoxcaConfig.Limits limits,
      List<LiveTrustSslContextFactory> tls,
      Handler handler,
      RequestLog metrics)
      throws Exception {
    QueuedThreadPool pool = new QueuedThreadPool(200, 8);
    pool.setName("voxca-http");
    // buffers kept for reuse are bounded (by default Jetty may keep an eighth of the heap)
    Server server =
        new Server(pool, null, new ArrayByteBufferPool(0, -1, -1, -1, 4L << 20, 16L << 20));
    HttpConfiguration http = new HttpConfiguration();
    // An encoded slash reaches voxca's own path check, which refuses it everywhere but in an OCSP
    // GET, whose base64 request may hold one (RFC 5019).
    http.setUriCompliance(
        UriCompliance.DEFAULT.with("voxca", UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR));
    http.setSendServerVersion(false);
    http.setSendDateHeader(true);
    SecureRequestCustomizer src = new SecureRequestCustomizer();
    src.setSniHostCheck(false);
    http.addCustomizer(src);
    // One TLS context holding every server certificate, or (native engine, two certificates) one
    // per certificate. BoringSSL (Conscrypt) reads and writes TLS records straight from Jetty's
    // pooled direct buffers (with heap buffers each engine would keep a 16 KiB direct buffer of its
    // own to copy through); the JDK's engine works on heap buffers.
    boolean direct = tls.get(0).getProvider() != null;
    ConnectionFactory secure =
        tls.size() == 1
            ? CertificateChoice.one(tls.get(0), "http/1.1", direct)
            : CertificateChoice.of(tls.get(0), tls.get(1), "http/1.1", direct);
    ServerConnector connector =
        new ServerConnector(server, secure, new HttpConnectionFactory(http));
    connector.setHost(web.host());
    connector.setPort(web.port());
    connector.setIdleTimeout(30_000);
    ConnectionGuard guard =
        new ConnectionGuard(
            limits.maxConnectionsPerAddress(), limits.handshakeTimeout(), connector::getScheduler);
    connector.addBean(guard);
    if (direct) {
      connector.addBean(new EngineRelease());
    }
    if (limits.maxConnections() > 0
        && (limits.maxConnectionsPerAddress() == 0
            || limits.maxConnectionsPerAddress() >= limits.maxConnections())) {
      LOG.warn(
          "voxca.max-connections-per-address ({}) is not below voxca.max-connections ({}):"
              + " one client address can hold every connection slot",
          limits.maxConnectionsPerAddress(),
          limits.maxConnections());
    }
    server.addConnector(connector);
    if (limits.maxConnections() > 0) {
      // every open TLS connection holds buffers and an engine: a herd of agents connecting at
      // once waits in the accept queue instead of filling the heap
      // at the limit, connections idle for 10 s close: longer than agents keep one (Puppet's
      // http_keepalive_timeout, 4 s), so an agent never sends on a connection being closed
      NetworkConnectionLimit cap = new NetworkConnectionLimit(limits.maxConnections(), connector);
      cap.setEndPointIdleTimeout(10_000);
      server.addBean(cap);
    }
    server.setHandler(handler);
    AccessLog access = AccessLog.of(limits.accessLog());
    if (access != null && metrics != null) {
      server.setRequestLog(new RequestLog.Collection(access, metrics));
    } else if (access != null || metrics != null) {
      server.setRequestLog(access != null ? access : metrics);
    }
    server.setErrorHandler(new PlainTextErrorHandler());
    server.start();
    return new Jetty(server, connector, guard, tls.get(0).getProvider());
  }

  /** The accounting of open connections (for metrics). */
  ConnectionGuard connections() {
    return guard;
  }

  /** The JSSE provider serving HTTPS, or null for the JDK's default. */
  String tlsProvider() {
    return tlsProvider;
  }

  int port() {
    return connector.getLocalPort();
  }

  void stop() {
    try {
      server.stop();
    } catch (Exception e) {
      LOG.warn("Error stopping Jetty: {}", e.toString());
    }
  }
}
