package org.voxca.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The status service: {@code /status/v1/simple[/<service>]} answers the state as text; {@code
 * /status/v1/services[/<service>]} gives trapperkeeper-status JSON with a {@code ca} entry whose
 * version the {@code puppetserver ca} CLI checks (≥ 8.4.0 for bulk signing). As in trapperkeeper,
 * {@code running} is 200 and any other state 503: the CA's services ({@code ca}, {@code server},
 * {@code master}) follow {@link Readiness} (the readiness probe), while {@code status-service} runs
 * whenever the process answers (the liveness probe).
 */
final class StatusResource {
  /** The Puppet Server CA API level voxca implements, reported as the ca service version. */
  static final String CA_API_VERSION = "8.8.0";

  private static final List<String> SERVICES = List.of("ca", "server", "master", "status-service");
  private static final String LIVENESS = "status-service";

  private final Readiness readiness;

  StatusResource(Readiness readiness) {
    this.readiness = readiness;
  }

  void simple(Exchange ex, String service) {
    if (service != null && !SERVICES.contains(service)) {
      ex.text(404, Exchange.TEXT_UTF8, "not found: " + service);
      return;
    }
    Readiness.State state = LIVENESS.equals(service) ? Readiness.State.RUNNING : readiness.state();
    ex.text(code(state), Exchange.TEXT_UTF8, state.word());
  }

  private static int code(Readiness.State state) {
    return state == Readiness.State.RUNNING ? 200 : 503;
  }

  void services(Exchange ex, String service) throws Exception {
    if (service != null) {
      if (!SERVICES.contains(service)) {
        Map<String, String> err =
            Map.of(
                "kind",
                "service-not-found",
                "msg",
                "No status information found for service " + service);
        ex.text(404, "application/json; charset=utf-8", Json.write(err));
        return;
      }
      Readiness.State state =
          LIVENESS.equals(service) ? Readiness.State.RUNNING : readiness.state();
      Map<String, Object> one = new LinkedHashMap<>(entry(state, reason(service)));
      one.put("service_name", service);
      ex.text(code(state), "application/json; charset=utf-8", Json.write(one));
      return;
    }
    Readiness.State ca = readiness.state();
    Map<String, Object> all = new LinkedHashMap<>();
    for (String s : SERVICES) {
      all.put(s, entry(LIVENESS.equals(s) ? Readiness.State.RUNNING : ca, reason(s)));
    }
    ex.text(code(ca), "application/json; charset=utf-8", Json.write(all));
  }

  private String reason(String service) {
    return LIVENESS.equals(service) ? null : readiness.reason();
  }

  private static Map<String, Object> entry(Readiness.State state, String reason) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("service_version", CA_API_VERSION);
    m.put("service_status_version", 1);
    m.put("detail_level", "info");
    m.put("state", state.word());
    m.put("status", reason == null ? Map.of() : Map.of("reason", reason));
    m.put("active_alerts", List.of());
    return m;
  }
}
