package org.voxca.server;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voxca.ca.ManagedCa;
import org.voxca.http.Readiness;

/**
 * Prometheus metrics on their own plain-HTTP listener ({@code voxca { metrics { host, port } }},
 * loopback by default): {@code GET /metrics} in the text exposition format. Every name starts with
 * {@code voxca_}, the JVM's own ones included.
 */
final class Metrics implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Metrics.class);
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry;
  private final CaMetrics ca;
  private final Health readiness;
  private final Supplier<Health.Problem> problem;
  private final JvmGcMetrics gc;
  private final Server server;
  private final ServerConnector connector;

  private Metrics(String host, int port, ManagedCa ca, Health readiness) throws Exception {
    this.readiness = readiness;
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry
        .config()
        // filters accept or deny the renamed meter: process.cpu.time is in "ns", an abbreviated
        // unit promtool's lint refuses (the CPU usage gauges say the same)
        .meterFilter(MeterFilter.denyNameStartsWith("voxca.process.cpu.time"))
        .meterFilter(
            new MeterFilter() {
              @Override
              public Meter.Id map(Meter.Id id) {
                String name = id.getName();
                if (name.equals("system.cpu.count")) {
                  name = "system.cpus"; // a gauge must not end in _count
                }
                return name.startsWith("voxca.") ? id : id.withName("voxca." + name);
              }
            });
    new JvmMemoryMetrics().bindTo(registry);
    gc = new JvmGcMetrics();
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    // one readiness check per scrape, whatever the number of gauges reading it
    problem = new OncePerSecond<>(readiness::problem); // a field: gauges hold it weakly
    Gauge.builder("voxca.ready", problem, r -> r.get() == null ? 1 : 0)
        .description(
            "1 when the CA is loaded, indexed, its store answers and its certificate is valid")
        .register(registry);
    for (Health.Problem p : Health.Problem.values()) {
      Gauge.builder("voxca.not.ready", problem, r -> r.get() == p ? 1 : 0)
          .description("1 for the reason the CA is not ready (readiness error, starting, stopping)")
          .tag("reason", p.label())
          .register(registry);
    }
    this.ca = new CaMetrics(ca, registry);
    ca.addEventListener(this.ca);
    QueuedThreadPool pool = new QueuedThreadPool(8, 2);
    pool.setName("voxca-metrics");
    server = new Server(pool);
    connector = new ServerConnector(server, 1, 1);
    connector.setHost(host);
    connector.setPort(port);
    server.addConnector(connector);
    server.setHandler(new Scrape());
    server.start();
    LOG.info("Metrics at http://{}:{}/metrics", host, connector.getLocalPort());
  }

  /** The metrics listener on {@code host:port}, or null when {@code port} is 0 (off). */
  static Metrics start(String host, int port, ManagedCa ca, Health readiness) throws Exception {
    return port == 0 ? null : new Metrics(host, port, ca, readiness);
  }

  /**
   * Open TLS connections and client addresses, connections accepted, and connections voxca closed
   * before they served a request, by reason.
   */
  void connections(ConnectionGuard guard) {
    Gauge.builder("voxca.connections.open", guard, ConnectionGuard::openConnections)
        .description("Open TLS connections")
        .register(registry);
    Gauge.builder("voxca.connections.addresses", guard, ConnectionGuard::openAddresses)
        .description("Client addresses with at least one open TLS connection")
        .register(registry);
    FunctionCounter.builder("voxca.connections.accepted", guard, ConnectionGuard::accepted)
        .description("TLS connections accepted")
        .register(registry);
    for (ConnectionGuard.Refusal why : ConnectionGuard.Refusal.values()) {
      FunctionCounter.builder("voxca.connections.refused", guard, g -> g.refused(why))
          .description(
              "Connections closed before serving a request: per_address (over"
                  + " max-connections-per-address), handshake_timeout (no complete TLS handshake"
                  + " within handshake-timeout), handshake_failed")
          .tag("reason", why.label())
          .register(registry);
    }
  }

  /** A value computed at most once a second (null values included). */
  private static final class OncePerSecond<T> implements Supplier<T> {
    private final Supplier<T> source;
    private volatile long at = Long.MIN_VALUE;
    private volatile T value;

    OncePerSecond(Supplier<T> source) {
      this.source = source;
    }

    @Override
    public synchronized T get() {
      long now = System.nanoTime();
      if (at == Long.MIN_VALUE || now - at > 1_000_000_000L) {
        value = source.get();
        at = now;
      }
      return value;
    }
  }

  RequestMetrics requests() {
    return new RequestMetrics(registry);
  }

  /** Called every second by the server's scheduler: a census when one is due (once indexed). */
  void tick() {
    if (readiness.state() == Readiness.State.RUNNING) {
      ca.refreshIfDue();
    }
  }

  int port() {
    return connector.getLocalPort();
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      LOG.warn("Error stopping the metrics listener: {}", e.toString());
    }
    gc.close();
    registry.close();
  }

  private final class Scrape extends Handler.Abstract {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      String path = request.getHttpURI().getPath();
      boolean get = request.getMethod().equals("GET") || request.getMethod().equals("HEAD");
      int status = !path.equals("/metrics") ? 404 : get ? 200 : 405;
      String body =
          status == 200 ? registry.scrape() : status == 404 ? "Not Found\n" : "GET only\n";
      response.setStatus(status);
      response
          .getHeaders()
          .put(HttpHeader.CONTENT_TYPE, status == 200 ? CONTENT_TYPE : "text/plain; charset=utf-8");
      response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
      return true;
    }
  }
}
