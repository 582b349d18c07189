package org.voxca.http.console;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.voxca.ca.CertStatus;
import org.voxca.ca.CertificateAuthority;

/**
 * The fleet's expiry timeline as server-rendered SVG: valid certificates expiring in each of the
 * next {@link #WEEKS} weeks, with the CA certificate's end and the CRL's next update marked. The
 * scale is the busiest week's count, so 10 certificates or 100,000 read the same.
 */
final class ExpiryChart {
  static final int WEEKS = 52;
  private static final int W = 860;
  private static final int H = 260;
  private static final int LEFT = 60;
  private static final int BOTTOM = 40;
  private static final int TOP = 20;
  private static final int RIGHT = 40;

  private ExpiryChart() {}

  /** Counts per week from {@code now}: index {@code WEEKS} holds the ones already expired. */
  static long[] weeks(CertificateAuthority ca, Instant now) {
    long[] counts = new long[WEEKS + 1];
    Instant end = now.plus(Duration.ofDays(7L * WEEKS));
    ca.eachStatus(
        CertStatus.SIGNED,
        null,
        end,
        st -> {
          if (st.notAfter() == null || !st.notAfter().isAfter(now)) {
            counts[WEEKS]++;
            return;
          }
          int w = (int) (Duration.between(now, st.notAfter()).toDays() / 7);
          counts[Math.min(w, WEEKS - 1)]++;
        });
    return counts;
  }

  static void render(Html h, long[] counts, Instant now, Map<String, Instant> marks) {
    long max = 1;
    long total = 0;
    for (int i = 0; i < WEEKS; i++) {
      max = Math.max(max, counts[i]);
      total += counts[i];
    }
    long step = niceCeiling((max + 3) / 4);
    long top = step * 4;
    double plotW = W - LEFT - RIGHT;
    double plotH = H - TOP - BOTTOM;
    double barW = plotW / WEEKS;
    h.raw("<figure class=\"chart\"><svg id=\"expiry-chart\" role=\"img\" viewBox=\"0 0 ")
        .raw(W + " " + H)
        .raw("\" aria-labelledby=\"chart-title chart-desc\"><title id=\"chart-title\">")
        .text("Certificates expiring per week, next " + WEEKS + " weeks")
        .raw("</title><desc id=\"chart-desc\">")
        .text(
            total
                + " certificates expire within "
                + WEEKS
                + " weeks; the busiest week has "
                + max
                + ".")
        .raw("</desc>");
    for (int t = 0; t <= 4; t++) {
      double y = TOP + plotH - plotH * t / 4;
      h.raw(
          String.format(
              java.util.Locale.ROOT,
              "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>",
              LEFT,
              W - 20,
              y,
              y));
      h.raw(
              String.format(
                  java.util.Locale.ROOT,
                  "<text x=\"%d\" y=\"%.1f\" class=\"axis\" text-anchor=\"end\">",
                  LEFT - 6,
                  y + 4))
          .text(Long.toString(top * t / 4))
          .raw("</text>");
    }
    for (int i = 0; i < WEEKS; i++) {
      if (counts[i] == 0) {
        continue;
      }
      double bh = Math.max(1, plotH * counts[i] / top);
      h.raw(
              String.format(
                  java.util.Locale.ROOT,
                  "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"><title>",
                  LEFT + i * barW + 1,
                  TOP + plotH - bh,
                  Math.max(1, barW - 2),
                  bh))
          .text("week " + (i + 1) + ": " + counts[i])
          .raw("</title></rect>");
    }
    for (int m = 0; m <= 12; m++) {
      double x = LEFT + plotW * m / 12;
      h.raw(
              String.format(
                  java.util.Locale.ROOT,
                  "<text x=\"%.1f\" y=\"%d\" class=\"axis\" text-anchor=\"middle\">",
                  x,
                  H - BOTTOM + 18))
          .text(now.plus(Duration.ofDays(7L * WEEKS * m / 12)).toString().substring(0, 7))
          .raw("</text>");
    }
    for (var mark : marks.entrySet()) {
      Instant at = mark.getValue();
      if (at == null || at.isBefore(now) || at.isAfter(now.plus(Duration.ofDays(7L * WEEKS)))) {
        continue;
      }
      double x = LEFT + plotW * Duration.between(now, at).toMinutes() / (7.0 * WEEKS * 24 * 60);
      h.raw(
              String.format(
                  java.util.Locale.ROOT,
                  "<line class=\"mark\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%.1f\"/>",
                  x,
                  x,
                  TOP,
                  TOP + plotH))
          .raw(
              String.format(
                  java.util.Locale.ROOT,
                  "<text class=\"mark-label\" x=\"%.1f\" y=\"%d\">",
                  x + 4,
                  TOP + 12))
          .text(mark.getKey())
          .raw("</text>");
    }
    h.raw("</svg><figcaption>");
    if (counts[WEEKS] > 0) {
      h.text(counts[WEEKS] + " signed certificates have already expired. ");
    }
    for (var mark : marks.entrySet()) {
      h.text(mark.getKey() + ": " + Html.time(mark.getValue()) + ". ");
    }
    h.raw("</figcaption></figure>");
  }

  /** 1, 2 or 5 times a power of ten, at least {@code n}. */
  static long niceCeiling(long n) {
    long p = 1;
    while (true) {
      for (long m : new long[] {1, 2, 5}) {
        if (m * p >= n) {
          return m * p;
        }
      }
      p *= 10;
    }
  }
}
