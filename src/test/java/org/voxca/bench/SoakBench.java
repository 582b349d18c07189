package org.voxca.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import org.voxca.soak.Soak;
import org.voxca.soak.SoakReport;

/**
 * {@code bench/soak --minutes N [--postgres] [--agents N]}: the endurance run of {@code SoakIT} for
 * as long as asked; writes its curves under {@code target/soak/} as CSV and SVG and prints the
 * figures.
 */
public final class SoakBench {
  private SoakBench() {}

  public static void main(String[] args) throws Exception {
    long minutes = 10;
    boolean postgres = false;
    int agents = 4;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--minutes" -> minutes = Long.parseLong(args[++i]);
        case "--postgres" -> postgres = true;
        case "--agents" -> agents = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    Path out = Files.createDirectories(Path.of("target", "soak"));
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path work = Files.createTempDirectory("voxca-soak");
    Soak.Result r = Soak.run(new Soak.Options(Duration.ofMinutes(minutes), postgres, work, agents));
    Path csv = out.resolve("soak-" + stamp + ".csv");
    Path svg = out.resolve("soak-" + stamp + ".svg");
    SoakReport.csv(r, csv);
    SoakReport.svg(r, svg);
    System.out.println(SoakReport.summary(r));
    System.out.println("curves: " + csv + " and " + svg + " (server files under " + work + ")");
    System.exit(r.failures() == 0 && r.missing().isEmpty() ? 0 : 1);
  }
}
