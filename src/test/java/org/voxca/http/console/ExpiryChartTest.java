package org.voxca.http.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The expiry chart's scale reads the same at one certificate a week or at thousands. */
class ExpiryChartTest {
  private static List<String> ticks(String svg) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("text-anchor=\"end\">(\\d+)</text>").matcher(svg);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  private static String render(long[] counts, Map<String, Instant> marks, Instant now) {
    Html h = new Html();
    ExpiryChart.render(h, counts, now, marks);
    return h.end();
  }

  @Test
  void ticksAreDistinctRoundNumbersAboveTheBusiestWeek() {
    Instant now = Instant.parse("2026-12-01T00:00:00Z");
    long[] one = new long[ExpiryChart.WEEKS + 1];
    one[3] = 1;
    assertThat(ticks(render(one, Map.of(), now))).containsExactly("0", "1", "2", "3", "4");
    long[] many = new long[ExpiryChart.WEEKS + 1];
    many[0] = 4_321;
    many[51] = 17;
    many[ExpiryChart.WEEKS] = 9;
    String svg = render(many, Map.of(), now);
    assertThat(ticks(svg)).containsExactly("0", "2000", "4000", "6000", "8000");
    assertThat(svg).contains("week 1: 4321").contains("week 52: 17");
    assertThat(svg).contains("9 signed certificates have already expired");
    assertThat(Pattern.compile("<rect class=\"bar\"").matcher(svg).results().count()).isEqualTo(2);
  }

  @Test
  void marksInsideTheYearAreDrawnAndOthersOnlyNamed() {
    Instant now = Instant.parse("2026-12-01T00:00:00Z");
    Map<String, Instant> marks = new LinkedHashMap<>();
    marks.put("CRL next update", now.plus(Duration.ofDays(3)));
    marks.put("CA certificate ends", now.plus(Duration.ofDays(4000)));
    String svg = render(new long[ExpiryChart.WEEKS + 1], marks, now);
    assertThat(Pattern.compile("<line class=\"mark\"").matcher(svg).results().count()).isEqualTo(1);
    assertThat(svg)
        .contains(">CRL next update</text>")
        .doesNotContain(">CA certificate ends</text>");
    assertThat(svg).contains("CA certificate ends: 2037-");
  }

  @Test
  void niceCeilings() {
    assertThat(ExpiryChart.niceCeiling(1)).isEqualTo(1);
    assertThat(ExpiryChart.niceCeiling(3)).isEqualTo(5);
    assertThat(ExpiryChart.niceCeiling(11)).isEqualTo(20);
    assertThat(ExpiryChart.niceCeiling(1081)).isEqualTo(2000);
  }
}
