package org.voxca.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/** A soak's curves as CSV, and as an SVG plot of each series over time. */
public final class SoakReport {
  private SoakReport() {}

  public static void csv(Soak.Result r, Path file) throws IOException {
    StringBuilder b =
        new StringBuilder(
            "second,requests,connections,failures,descriptors,threads,open_connections,heap_mb\n");
    for (Soak.Sample s : r.samples()) {
      b.append(
          String.format(
              Locale.ROOT,
              "%d,%d,%d,%d,%d,%d,%.0f,%.1f%n",
              s.second(),
              s.requests(),
              s.connections(),
              s.failures(),
              s.descriptors(),
              s.threads(),
              s.openConnections(),
              s.heapMb()));
    }
    Files.writeString(file, b);
  }

  /** One small chart per series, stacked. */
  public static void svg(Soak.Result r, Path file) throws IOException {
    List<Soak.Sample> s = r.samples();
    record Series(String name, ToDoubleFunction<Soak.Sample> value) {}
    List<Series> series =
        List.of(
            new Series("descriptors", Soak.Sample::descriptors),
            new Series("threads", Soak.Sample::threads),
            new Series("open connections", Soak.Sample::openConnections),
            new Series("heap MB", Soak.Sample::heapMb),
            new Series("requests", Soak.Sample::requests));
    int w = 720;
    int h = 120;
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' font-family='sans-serif'"
                + " font-size='11'>%n",
            w, h * series.size()));
    double maxT = Math.max(1, s.get(s.size() - 1).second());
    for (int i = 0; i < series.size(); i++) {
      Series se = series.get(i);
      double max = s.stream().mapToDouble(se.value()).max().orElse(1);
      max = max <= 0 ? 1 : max;
      int y0 = i * h;
      b.append(
          String.format(
              Locale.ROOT,
              "<text x='4' y='%d'>%s (max %.0f)</text>%n<polyline fill='none' stroke='#1f5fa8'"
                  + " points='",
              y0 + 14,
              se.name(),
              max));
      for (Soak.Sample p : s) {
        double x = 40 + (w - 50) * p.second() / maxT;
        double y = y0 + h - 10 - (h - 30) * se.value().applyAsDouble(p) / max;
        b.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
      }
      b.append("'/>\n");
    }
    b.append("</svg>\n");
    Files.writeString(file, b);
  }

  /** The figures a closing note needs, one per line. */
  public static String summary(Soak.Result r) {
    return String.format(
        Locale.ROOT,
        "requests %d on %d connections from one address, %d failed (%s), %d 503s during the"
            + " database restart%nhostile connections %d (refused per address %.0f, handshake"
            + " timeouts %.0f)%ncertificates acknowledged %d, missing %d (%d issued in all)%n"
            + "descriptors %d -> %d, threads %d -> %d, open connections %.0f -> %.0f,"
            + " heap after GC %.1f -> %.1f MB (the indexes' share of the issued: %.1f MB)",
        r.requests(),
        r.connections(),
        r.failures(),
        r.failureExamples(),
        r.outageAnswers(),
        r.hostileConnections(),
        r.refusedPerAddress(),
        r.handshakeTimeouts(),
        r.acknowledged(),
        r.missing().size(),
        r.issued(),
        r.baseline().descriptors(),
        r.end().descriptors(),
        r.baseline().threads(),
        r.end().threads(),
        r.baseline().openConnections(),
        r.end().openConnections(),
        r.baseline().heapMb(),
        r.end().heapMb(),
        r.heapAllowanceMb());
  }
}
