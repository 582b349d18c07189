package org.voxca.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.voxca.assembly.CaAssembly;
import org.voxca.config.ConfigLoader;
import org.voxca.config.VoxcaConfig;
import picocli.CommandLine.Option;

/** Options every {@code voxca ca} verb shares: where the configuration is, which server to call. */
public final class CliOptions {
  @Option(
      names = "--config",
      defaultValue = "${env:VOXCA_CONFIG}",
      description = "Puppet Server HOCON file or conf.d directory (default: $VOXCA_CONFIG)")
  Path config;

  @Option(
      names = "--confdir",
      description = "Puppet confdir holding puppet.conf (default ./voxca-data/puppet)")
  Path confdir;

  @Option(names = "--cadir", description = "CA directory")
  Path cadir;

  @Option(names = "--ssldir", description = "ssldir holding the admin (server) certificate")
  Path ssldir;

  @Option(
      names = "--server-certname",
      description = "The CA server's certname (puppet.conf certname)")
  String certname;

  @Option(
      names = "--setting",
      description = "Any puppet.conf setting, e.g. --setting keylength=2048")
  Map<String, String> settings = new LinkedHashMap<>();

  @Option(
      names = "--server-url",
      description = "The running CA (default https://127.0.0.1:<configured port>)")
  String serverUrl;

  /** HOCON keys a verb's own options set over the configuration (a token's, say). */
  final Map<String, String> hocon = new LinkedHashMap<>();

  VoxcaConfig load() {
    return ConfigLoader.load(
        new ConfigLoader.Overrides(
            config, confdir, null, null, cadir, ssldir, certname, null, settings, null, hocon),
        Path.of("voxca-data"));
  }

  CaAssembly assembly() {
    return new CaAssembly(load(), Clock.systemUTC());
  }

  String url(VoxcaConfig c) {
    if (serverUrl != null) {
      return serverUrl;
    }
    String host = c.webserver().host().equals("0.0.0.0") ? "127.0.0.1" : c.webserver().host();
    return "https://" + host + ":" + c.webserver().port();
  }
}
