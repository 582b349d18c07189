package org.voxca.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The default certname as Puppet computes it (Facter's fqdn), never {@code localhost}. */
class HostNameTest {
  private static final List<String> NONE = List.of();

  @Test
  void aNameWithADomainIsKeptLowerCaseWithoutItsTrailingDot() {
    assertThat(HostName.fqdn("Ca1.Example.COM.", NONE, NONE, h -> null))
        .isEqualTo("ca1.example.com");
  }

  @Test
  void aShortNameTakesTheCanonicalNameHostsGivesIt() {
    List<String> hosts =
        List.of(
            "127.0.0.1 localhost",
            "127.0.1.1 ca1.example.com ca1 # Debian's line for the host",
            "10.0.0.9 other.example.com other");
    assertThat(HostName.fqdn("ca1", hosts, List.of("search wrong.test"), h -> "localhost"))
        .isEqualTo("ca1.example.com");
  }

  @Test
  void elseTheDomainOrFirstSearchDomainOfResolvConf() {
    List<String> hosts = List.of("127.0.0.1 localhost ca1");
    assertThat(HostName.fqdn("ca1", hosts, List.of("search a.test b.test"), h -> null))
        .isEqualTo("ca1.a.test");
    assertThat(
            HostName.fqdn(
                "ca1", hosts, List.of("search a.test", "domain corp.example."), h -> null))
        .isEqualTo("ca1.corp.example");
  }

  @Test
  void elseAReverseLookUpThatExtendsTheNameElseTheShortName() {
    assertThat(HostName.fqdn("ca1", NONE, NONE, h -> "ca1.lan")).isEqualTo("ca1.lan");
    // a loopback address reversed to localhost: not this host's name
    assertThat(HostName.fqdn("ca1", List.of("127.0.0.1 localhost ca1"), NONE, h -> "localhost"))
        .isEqualTo("ca1");
  }

  @Test
  void thisMachinesDefaultStartsWithItsKernelHostName() throws Exception {
    String kernel = InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT);
    String first = kernel.contains(".") ? kernel.substring(0, kernel.indexOf('.')) : kernel;
    assertThat(HostName.fqdn()).startsWith(first);
  }
}
