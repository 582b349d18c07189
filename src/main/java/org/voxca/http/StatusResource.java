package org.voxca.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The status service (spec §2.11): {@code /status/v1/simple[/<service>]} answers {@code running};
 * {@code /status/v1/services[/<service>]} gives trapperkeeper-status JSON with a {@code ca} entry
 * whose version the {@code puppetserver ca} CLI checks (≥ 8.4.0 for bulk signing).
 */
final class StatusResource {
  /** The Puppet Server CA API level voxca implements, reported as the ca service version. */
  static final String CA_API_VERSION = "8.8.0";

  private static final List<String> SERVICES = List.of("ca", "server", "master", "status-service");

  void simple(Exchange ex, String service) {
    if (service != null && !SERVICES.contains(service)) {
      ex.text(404, Exchange.TEXT_UTF8, "not found: " + service);
      return;
    }
    ex.text(200, Exchange.TEXT_UTF8, "running");
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
      Map<String, Object> one = new LinkedHashMap<>(entry(service));
      one.put("service_name", service);
      ex.text(200, "application/json; charset=utf-8", Json.write(one));
      return;
    }
    Map<String, Object> all = new LinkedHashMap<>();
    for (String s : SERVICES) {
      all.put(s, entry(s));
    }
    ex.text(200, "application/json; charset=utf-8", Json.write(all));
  }

  private static Map<String, Object> entry(String service) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("service_version", CA_API_VERSION);
    m.put("service_status_version", 1);
    m.put("detail_level", "info");
    m.put("state", "running");
    m.put("status", Map.of());
    m.put("active_alerts", List.of());
    return m;
  }
}
