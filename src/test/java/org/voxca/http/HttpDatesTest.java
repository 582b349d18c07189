package org.voxca.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** If-Modified-Since dates, and the one-entry memory of the last header: never a stale answer. */
class HttpDatesTest {
  @Test
  void eachHeaderGetsItsOwnInstantWhateverCameBefore() {
    String a = "Sun, 06 Nov 1994 08:49:37 GMT";
    String b = "07 Nov 1994 08:49:37 +0100";
    Instant ia = Instant.parse("1994-11-06T08:49:37Z");
    Instant ib = Instant.parse("1994-11-07T07:49:37Z");
    assertThat(HttpDates.parse(a)).isEqualTo(ia);
    assertThat(HttpDates.parse(a)).isEqualTo(ia);
    assertThat(HttpDates.parse(b)).isEqualTo(ib);
    assertThat(HttpDates.parse("not a date")).isNull();
    assertThat(HttpDates.parse("not a date")).isNull();
    assertThat(HttpDates.parse(a)).isEqualTo(ia);
    assertThat(HttpDates.parse("")).isNull();
    assertThat(HttpDates.parse(null)).isNull();
    assertThat(HttpDates.parse("sun, 06 nov 1994 08:49:37 utc")).isEqualTo(ia);
  }
}
