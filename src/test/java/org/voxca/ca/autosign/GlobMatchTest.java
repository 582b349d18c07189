package org.voxca.ca.autosign;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GlobMatchTest {
  @ParameterizedTest(name = "{0} ~ {1} = {2}")
  @CsvSource({
    "*, anything, true",
    "*.red, green.red, true",
    "*.red, blue.1.red, true",
    "*.red, red, true",
    "*.red, .red, true",
    "*.red, red.white, false",
    "*.RED, Green.red, true",
    "exact.test, exact.test, true",
    "exact.test, Exact.test, false",
    "exact.test, a.exact.test, false"
  })
  void puppetGlobRules(String pattern, String name, boolean match) {
    assertThat(GlobFileAutosign.matches(pattern, name)).isEqualTo(match);
  }
}
