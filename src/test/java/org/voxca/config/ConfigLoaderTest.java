package org.voxca.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {
  @TempDir Path dir;

  private VoxcaConfig load(Path config, Map<String, String> settings) {
    return ConfigLoader.load(
        new ConfigLoader.Overrides(
            config, dir.resolve("puppet"), null, null, null, null, null, null, settings, null),
        dir);
  }

  @ParameterizedTest(name = "{0} = {1}s")
  @CsvSource({
    "5y,157680000",
    "1y30d,34128000",
    "60d,5184000",
    "12h,43200",
    "3600,3600",
    "1d 2h,93600",
    "90m,5400"
  })
  void puppetDurations(String text, long seconds) {
    assertThat(PuppetDuration.parse("k", text)).isEqualTo(Duration.ofSeconds(seconds));
  }

  @ParameterizedTest
  @CsvSource({"5x", "y", "-5", "0", "1y-2d", "''"})
  void badDurationsNameTheKey(String text) {
    assertThatThrownBy(() -> PuppetDuration.parse("auto-renewal-cert-ttl", text))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("Invalid configuration: auto-renewal-cert-ttl: ");
  }

  @Test
  void defaultsFollowPuppetsLayoutUnderTheDataDirectory() {
    VoxcaConfig c = load(null, Map.of("certname", "ca.example"));
    assertThat(c.webserver().port()).isEqualTo(8140);
    assertThat(c.webserver().host()).isEqualTo("0.0.0.0");
    assertThat(c.webserver().tlsEngine()).as("BoringSSL where it loads").isEqualTo("auto");
    assertThat(c.store().cadir()).isEqualTo(dir.resolve("puppetserver/ca").toAbsolutePath());
    assertThat(c.store().cacert()).isEqualTo(c.store().cadir().resolve("ca_crt.pem"));
    assertThat(c.store().inventory()).isEqualTo(c.store().cadir().resolve("inventory.txt"));
    assertThat(c.ssl().hostcert())
        .isEqualTo(dir.resolve("puppet/ssl/certs/ca.example.pem").toAbsolutePath());
    assertThat(c.ssl().hostprivkey())
        .isEqualTo(dir.resolve("puppet/ssl/private_keys/ca.example.pem").toAbsolutePath());
    assertThat(c.ssl().localcacert())
        .isEqualTo(dir.resolve("puppet/ssl/certs/ca.pem").toAbsolutePath());
    assertThat(c.ca().rules().caName()).isEqualTo("Puppet CA: ca.example");
    assertThat(c.ca().rules().caTtl()).isEqualTo(Duration.ofDays(5 * 365));
    assertThat(c.ca().rules().keyLength()).isEqualTo(4096);
    assertThat(c.ca().autosign())
        .isEqualTo(dir.resolve("puppet/autosign.conf").toAbsolutePath().toString());
    assertThat(c.ca().rules().autoRenewalCertTtl()).isEqualTo(Duration.ofDays(90));
    assertThat(c.auth().allowHeaderCertInfo()).isFalse();
  }

  @Test
  void puppetConfAndPuppetServerHoconAreReadUnedited() throws Exception {
    Path confdir = dir.resolve("puppet");
    Files.createDirectories(confdir);
    Files.writeString(
        confdir.resolve("puppet.conf"),
        String.join(
            "\n",
            "[main]",
            "certname = main.example",
            "ssldir = $confdir/myssl",
            "[agent]",
            "server = x",
            "[server]",
            "certname = srv.example  # the CA host",
            "dns_alt_names = puppet,ca.example,IP:10.0.0.1",
            "ca_ttl = 1y",
            "autosign = true",
            "allow_duplicate_certs = true",
            ""));
    Path confd = dir.resolve("conf.d");
    Files.createDirectories(confd);
    Files.writeString(
        confd.resolve("ca.conf"),
        "certificate-authority: {\n  allow-subject-alt-names: true\n"
            + "  allow-auto-renewal: true\n  auto-renewal-cert-ttl: \"60d\"\n  ca-ttl: \"2y\"\n}\n");
    Files.writeString(
        confd.resolve("webserver.conf"), "webserver: { ssl-host: 127.0.0.1, ssl-port: 8141 }\n");
    Files.writeString(
        confd.resolve("auth.conf"),
        "authorization: { version: 1, allow-header-cert-info: true, rules: [] }\n");
    VoxcaConfig c = load(confd, Map.of());
    assertThat(c.certname()).isEqualTo("srv.example");
    assertThat(c.ssl().hostcert())
        .isEqualTo(confdir.resolve("myssl/certs/srv.example.pem").toAbsolutePath());
    assertThat(c.ca().rules().dnsAltNames()).containsExactly("puppet", "ca.example", "IP:10.0.0.1");
    assertThat(c.ca().rules().caTtl()).isEqualTo(Duration.ofDays(2 * 365));
    assertThat(c.ca().autosign()).isEqualTo("true");
    assertThat(c.ca().rules().allowDuplicateCerts()).isTrue();
    assertThat(c.ca().rules().allowSubjectAltNames()).isTrue();
    assertThat(c.ca().rules().allowAutoRenewal()).isTrue();
    assertThat(c.ca().rules().autoRenewalCertTtl()).isEqualTo(Duration.ofDays(60));
    assertThat(c.webserver().host()).isEqualTo("127.0.0.1");
    assertThat(c.webserver().port()).isEqualTo(8141);
    assertThat(c.auth().allowHeaderCertInfo()).isTrue();
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      ca_ttl          | 5x        | Invalid configuration: ca_ttl: '5x' is not a duration
      ca_ttl          | 60y       | Invalid configuration: ca_ttl: Config setting ca_ttl must have a value below 1576800000
      keylength       | big       | Invalid configuration: keylength: 'big' is not an integer
      keylength       | 512       | Invalid configuration: keylength: must be between 2048 and 16384, not 512
      autosign        | relative  | Invalid configuration: autosign: must be true, false or an absolute path
      certname        | Upper.Case| Invalid configuration: certname: 'Upper.Case' must be a lower-case name
      allow_duplicate_certs | maybe | Invalid configuration: allow_duplicate_certs: 'maybe' is not true or false
      """)
  void badValuesFailWithOneLineNamingTheKey(String key, String value, String message) {
    Map<String, String> settings = new HashMap<>(Map.of("certname", "ok.example"));
    settings.put(key, value);
    assertThatThrownBy(() -> load(null, settings))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(message)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void badHoconNamesTheFile() throws Exception {
    Path f = dir.resolve("broken.conf");
    Files.writeString(f, "certificate-authority: { allow-auto-renewal: ");
    assertThatThrownBy(() -> load(f, Map.of("certname", "ok")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("Invalid configuration: " + f);
    Files.writeString(f, "webserver: { ssl-port: eighty }");
    assertThatThrownBy(() -> load(f, Map.of("certname", "ok")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("Invalid configuration: webserver.ssl-port: 'eighty' is not an integer");
    Files.writeString(f, "certificate-authority: { allow-auto-renewal: yes please }");
    assertThatThrownBy(() -> load(f, Map.of("certname", "ok")))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Invalid configuration: certificate-authority.allow-auto-renewal: 'yes please' is not true or false");
  }
}
