package org.voxca.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestPathTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "/puppet-ca/v1/certificate/ca, /puppet-ca/v1/certificate/ca",
    "//puppet-ca//v1/certificate/ca, /puppet-ca/v1/certificate/ca",
    "/puppet-ca/v1/certificate;jsessionid=1/ca, /puppet-ca/v1/certificate/ca",
    "/puppet-ca/v1/certificate/%61gent, /puppet-ca/v1/certificate/agent",
    "/puppet-ca/v1/certificate/, /puppet-ca/v1/certificate/"
  })
  void normalises(String raw, String decoded) throws Exception {
    assertThat(RequestPath.parse(raw).decoded()).isEqualTo(decoded);
  }

  @ParameterizedTest
  @CsvSource({
    "/puppet-ca/v1/certificate_status/../certificate/x",
    "/a/%2e%2e/b",
    "/a/./b",
    "/a/..;x/b",
    "/a/b%2Fc",
    "/a/b%00",
    "/a/%zz",
    "/a/%C3"
  })
  void refusesTricks(String raw) {
    assertThatThrownBy(() -> RequestPath.parse(raw)).isInstanceOf(RequestPath.BadPath.class);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "Sun, 06 Nov 1994 08:49:37 GMT | 784111777",
        "06 Nov 1994 08:49:37 GMT | 784111777",
        "sunday, 06 nov 1994 08:49:37 utc | 784111777",
        "Sun, 06 Nov 1994 09:49:37 +0100 | 784111777"
      })
  void ifModifiedSinceDates(String header, long epoch) {
    assertThat(HttpDates.parse(header)).isEqualTo(Instant.ofEpochSecond(epoch));
  }

  @ParameterizedTest
  @CsvSource({"yesterday", "Sun, 32 Nov 1994 08:49:37 GMT", "Sun, 06 Foo 1994 08:49:37 GMT"})
  void unparsableDatesAreIgnored(String header) {
    assertThat(HttpDates.parse(header)).isNull();
  }
}
