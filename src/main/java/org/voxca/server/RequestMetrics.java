package org.voxca.server;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;
import org.voxca.http.CaRouter;

/**
 * Every answered request as {@code voxca_http_requests_seconds{route,method,status}}: a latency
 * histogram per route template (never per certname, so the series stay few).
 */
final class RequestMetrics implements RequestLog {
  private static final Duration[] BUCKETS = {
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10)
  };
  private final MeterRegistry registry;

  RequestMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void log(Request request, Response response) {
    Object route = request.getAttribute(CaRouter.ROUTE_ATTRIBUTE);
    String method = request.getMethod();
    Timer.builder("voxca.http.requests")
        .description("HTTPS requests answered, by route template, method and status")
        .tag("route", route == null ? "unmatched" : route.toString())
        .tag("method", known(method) ? method : "other")
        .tag("status", Integer.toString(response.getStatus()))
        .serviceLevelObjectives(BUCKETS)
        .register(registry)
        .record(System.nanoTime() - request.getBeginNanoTime(), TimeUnit.NANOSECONDS);
  }

  private static boolean known(String method) {
    return switch (method) {
      case "GET", "PUT", "POST", "DELETE", "HEAD" -> true;
      default -> false;
    };
  }
}
