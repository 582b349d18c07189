package org.voxca.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NameRulesTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "rootca_",
        "_x-puppet._tcp.example.com",
        "a.example.com",
        "_.example.com",
        "root123.com",
        "a"
      })
  void validNames(String name) {
    NameRules.validateSubject(name, name);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "-rootca.example.org",
        "rootca-.example.org",
        "root ca.example.org",
        "root&ca.example.org",
        "rootca..example.org",
        "rootca.",
        "puppet.",
        "",
        "a/b",
        "..",
        "a\u0000b"
      })
  void invalidNames(String name) {
    assertThatThrownBy(() -> NameRules.validateSubject(name, name))
        .isInstanceOf(CaException.class)
        .hasMessage("Subject hostname format is invalid");
  }

  @ParameterizedTest
  @ValueSource(strings = {"../ca_key", "a%2Fb", "a b", ".hidden", ""})
  void unsafeLookupsAreRefused(String name) {
    assertThatThrownBy(() -> NameRules.validateLookup(name))
        .isInstanceOf(CaException.class)
        .satisfies(e -> assertThat(((CaException) e).reason()).isEqualTo(Reason.BAD_REQUEST));
  }

  @org.junit.jupiter.api.Test
  void namesAndLabelsHaveDnsLengths() {
    String label63 = "a".repeat(63);
    String name253 = String.join(".", label63, label63, label63, "a".repeat(61));
    NameRules.validateSubject(name253, name253);
    assertThatThrownBy(() -> NameRules.validateSubject(name253 + "b", name253 + "b"))
        .hasMessage("Subject hostname format is invalid");
    assertThatThrownBy(() -> NameRules.validateSubject(label63 + "a.test", label63 + "a.test"))
        .hasMessage("Subject hostname format is invalid");
    String huge = "a".repeat(5000);
    assertThatThrownBy(() -> NameRules.validateLookup(huge))
        .hasMessage("Subject hostname format is invalid");
  }
}
