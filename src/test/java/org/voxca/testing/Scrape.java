package org.voxca.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads voxca's Prometheus metrics listener: samples by name and labels. */
public final class Scrape {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private Scrape() {}

  /** {@code GET path} on the plain-HTTP metrics listener at {@code port}. */
  public static HttpResponse<String> get(int port, String path) {
    try {
      return HTTP.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every sample of one scrape, keyed by name with labels. */
  public static Map<String, Double> of(int port) {
    HttpResponse<String> r = get(port, "/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    Map<String, Double> out = new HashMap<>();
    for (String line : r.body().split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int cut = line.lastIndexOf(' ');
      out.put(line.substring(0, cut), Double.parseDouble(line.substring(cut + 1)));
    }
    return out;
  }

  /**
   * The one sample named {@code name} whose labels hold every one of {@code labels}; NaN if none.
   */
  public static double value(Map<String, Double> m, String name, String... labels) {
    List<Double> hits =
        m.entrySet().stream()
            .filter(
                e ->
                    (e.getKey().equals(name) || e.getKey().startsWith(name + "{"))
                        && Arrays.stream(labels).allMatch(e.getKey()::contains))
            .map(Map.Entry::getValue)
            .toList();
    assertThat(hits).as(name + " " + Arrays.toString(labels)).hasSizeLessThanOrEqualTo(1);
    return hits.isEmpty() ? Double.NaN : hits.get(0);
  }

  /** One sample from a fresh scrape. */
  public static double value(int port, String name, String... labels) {
    return value(of(port), name, labels);
  }
}
