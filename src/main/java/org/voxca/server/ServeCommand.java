package org.voxca.server;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.voxca.ca.StartupException;
import org.voxca.config.ConfigException;
import org.voxca.config.ConfigLoader;
import org.voxca.config.VoxcaConfig;
import org.voxca.store.CaInUse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code voxca serve}: starts the CA; each flag overrides the configuration files. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Start the CA server (a fresh CA on first start).")
public final class ServeCommand implements Callable<Integer> {
  private static volatile boolean serving;

  @Option(
      names = "--config",
      defaultValue = "${env:VOXCA_CONFIG}",
      description = "Puppet Server HOCON file or conf.d directory (default: $VOXCA_CONFIG)")
  Path config;

  @Option(
      names = "--confdir",
      description =
          "Puppet confdir holding puppet.conf (default: the configuration's"
              + " jruby-puppet.server-conf-dir, else ./voxca-data/puppet)")
  Path confdir;

  @Option(
      names = "--host",
      description = "Address to listen on (default: webserver.ssl-host, else 0.0.0.0)")
  String host;

  @Option(names = "--port", description = "HTTPS port (default: webserver.ssl-port, else 8140)")
  Integer port;

  @Option(
      names = "--store-url",
      description = "PostgreSQL store shared by replicas: jdbc:postgresql://host:5432/voxca")
  String storeUrl;

  @Option(names = "--cadir", description = "CA directory")
  Path cadir;

  @Option(names = "--ssldir", description = "ssldir for the server's own certificate")
  Path ssldir;

  @Option(names = "--certname", description = "The server's certname")
  String certname;

  @Option(
      names = "--autosign",
      description = "true, false, or an absolute path (autosign.conf or executable)")
  String autosign;

  @Option(
      names = "--setting",
      description = "Any puppet.conf setting, e.g. --setting keylength=2048")
  Map<String, String> settings = new LinkedHashMap<>();

  @Option(
      names = "--exit-when-ready",
      hidden = true,
      description =
          "Start, serve a CSR's bootstrap to itself over HTTPS, then stop (a class-data-sharing training run)")
  boolean exitWhenReady;

  public static boolean serving() {
    return serving;
  }

  private VoxcaConfig load() {
    return ConfigLoader.load(
        new ConfigLoader.Overrides(
            config, confdir, host, port, cadir, ssldir, certname, autosign, settings, storeUrl),
        Path.of("voxca-data"));
  }

  /**
   * The help's last section: the values in effect with this configuration (and the flags given
   * before {@code --help}), so an installed package's help shows its own paths, not the defaults of
   * a checkout.
   */
  public String inEffect() {
    try {
      VoxcaConfig c = load();
      return String.join(
          System.lineSeparator(),
          "",
          "In effect here (configuration: "
              + (config == null ? "none, built-in defaults" : config)
              + "):",
          "  listen      https://" + c.webserver().host() + ":" + c.webserver().port(),
          "  certname    " + c.certname(),
          "  confdir     " + c.confdir(),
          "  cadir       " + c.store().cadir(),
          "  ssldir      " + c.ssl().ssldir(),
          "  store       "
              + (c.store().kind() instanceof org.voxca.config.StoreKind.Postgres db
                  ? db.url()
                  : "the CA directory"),
          "  autosign    " + c.ca().autosign(),
          "");
    } catch (RuntimeException e) {
      return System.lineSeparator()
          + "In effect here: the configuration does not load: "
          + e.getMessage()
          + System.lineSeparator();
    }
  }

  @Override
  public Integer call() throws Exception {
    VoxcaConfig c;
    try {
      c = load();
    } catch (ConfigException e) {
      System.err.println(e.getMessage());
      return 2;
    }
    VoxcaServer server;
    try {
      server = VoxcaServer.start(c);
    } catch (StartupException | CaInUse | IllegalArgumentException e) {
      System.err.println(e.getMessage());
      return 3;
    }
    if (exitWhenReady) {
      try (server) {
        SelfExercise.run(server, c);
      }
      return 0;
    }
    serving = true;
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "voxca-shutdown"));
    System.out.println("voxca listening on https://" + c.webserver().host() + ":" + server.port());
    System.out.flush();
    return 0;
  }
}
