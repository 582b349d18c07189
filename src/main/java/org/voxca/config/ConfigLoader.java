package org.voxca.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Assembles {@link VoxcaConfig} from, lowest first: Puppet's defaults, puppet.conf (from the
 * confdir), Puppet Server's HOCON conf.d ({@code certificate-authority}, {@code authorization},
 * {@code webserver}, {@code jruby-puppet}), and command-line overrides. An operator's existing
 * files work unedited; a bad value fails with one line naming the key.
 */
public final class ConfigLoader {

  /** Command-line values; null means "not given". */
  public record Overrides(
      Path config,
      Path confdir,
      String host,
      Integer port,
      Path cadir,
      Path ssldir,
      String certname,
      String autosign,
      Map<String, String> settings,
      String storeUrl,
      Map<String, String> hocon) {
    /** Overrides with no HOCON key set on the command line. */
    public Overrides(
        Path config,
        Path confdir,
        String host,
        Integer port,
        Path cadir,
        Path ssldir,
        String certname,
        String autosign,
        Map<String, String> settings,
        String storeUrl) {
      this(
          config, confdir, host, port, cadir, ssldir, certname, autosign, settings, storeUrl,
          Map.of());
    }
  }

  private ConfigLoader() {}

  public static VoxcaConfig load(Overrides o, Path defaultDataDir) {
    Hocon hocon = Hocon.read(o.config()).with(o.hocon());
    KnownKeys.warnUnknown(hocon);
    Path confdir =
        o.confdir() != null
            ? o.confdir()
            : hocon.has("jruby-puppet.server-conf-dir")
                ? Path.of(hocon.string("jruby-puppet.server-conf-dir", ""))
                : defaultDataDir.resolve("puppet");
    confdir = confdir.toAbsolutePath().normalize();
    Map<String, String> ca = hocon.section("certificate-authority");
    PuppetSettings r = new PuppetSettings(settings(o, confdir, ca), confdir);
    return new VoxcaConfig(
        confdir,
        webserver(o, hocon),
        CaConfig.read(r, ca, hocon),
        new VoxcaConfig.Store(
            r.path("cadir"),
            r.path("cacert"),
            r.path("cakey"),
            r.path("capub"),
            r.path("cacrl"),
            r.path("csrdir"),
            r.path("signeddir"),
            r.path("serial"),
            r.path("cert_inventory"),
            ConfigValues.serials(hocon.string("voxca.serials", "sequential")),
            database(o, hocon),
            keyPassphrase(hocon),
            pkcs11(hocon)),
        new VoxcaConfig.Ssl(
            r.path("ssldir"),
            r.path("hostcert"),
            r.path("hostprivkey"),
            r.path("hostpubkey"),
            r.path("localcacert"),
            r.path("hostcrl")),
        new VoxcaConfig.Auth(
            ConfigValues.bool(
                "authorization.allow-header-cert-info",
                hocon.string("authorization.allow-header-cert-info", "false")),
            hocon.authRules(),
            TrustedOidMapping.read(Path.of(r.get("trusted_oid_mapping_file")))),
        new VoxcaConfig.Limits(
            PuppetDuration.parse(
                "voxca.autosign-timeout", hocon.string("voxca.autosign-timeout", "30s")),
            ConfigValues.intValue(
                "voxca.autosign-max-concurrent",
                hocon.string("voxca.autosign-max-concurrent", "4")),
            hocon.bytes("voxca.max-body-bytes", 1024 * 1024),
            PuppetDuration.parse("voxca.body-timeout", hocon.string("voxca.body-timeout", "10s")),
            ConfigValues.nonNegative(
                "voxca.max-connections-per-address",
                hocon.string("voxca.max-connections-per-address", "64")),
            hocon.string("voxca.access-log", ""),
            ConfigValues.nonNegative(
                "voxca.max-connections", hocon.string("voxca.max-connections", "256")),
            ConfigValues.shortDuration(
                "voxca.handshake-timeout", hocon.string("voxca.handshake-timeout", "10s")),
            ConfigValues.nonNegative(
                "voxca.max-submissions-per-address",
                hocon.string("voxca.max-submissions-per-address", "60"))),
        operations(r, hocon));
  }

  /** {@code voxca { ca-key { type: file | encrypted, passphrase-file } }}: the file, or null. */
  private static Path keyPassphrase(Hocon hocon) {
    String type = hocon.string("voxca.ca-key.type", "file");
    String file = hocon.string("voxca.ca-key.passphrase-file", "");
    if (type.equals("file") || type.equals("pkcs11")) {
      return null;
    }
    if (!type.equals("encrypted")) {
      throw new ConfigException(
          "voxca.ca-key.type", "must be file, encrypted or pkcs11, not " + type);
    }
    if (file.isEmpty() || !Path.of(file).isAbsolute()) {
      throw new ConfigException(
          "voxca.ca-key.passphrase-file", "an encrypted CA key needs an absolute passphrase-file");
    }
    return Path.of(file).normalize();
  }

  /** {@code voxca { ca-key { type: pkcs11, ... } }}: the token, or null for file keys. */
  private static VoxcaConfig.Pkcs11 pkcs11(Hocon hocon) {
    if (!hocon.string("voxca.ca-key.type", "file").equals("pkcs11")) {
      return null;
    }
    String library = hocon.string("voxca.ca-key.library", "/usr/lib/softhsm/libsofthsm2.so");
    String token = hocon.string("voxca.ca-key.token-label", "");
    String pin = hocon.string("voxca.ca-key.pin-file", "");
    if (!Path.of(library).isAbsolute()) {
      throw new ConfigException(
          "voxca.ca-key.library", "must be an absolute path to a PKCS#11 module");
    }
    if (token.isEmpty()) {
      throw new ConfigException(
          "voxca.ca-key.token-label", "a pkcs11 CA key needs the token's label");
    }
    if (pin.isEmpty() || !Path.of(pin).isAbsolute()) {
      throw new ConfigException(
          "voxca.ca-key.pin-file", "a pkcs11 CA key needs an absolute pin-file");
    }
    return new VoxcaConfig.Pkcs11(
        Path.of(library).normalize(),
        token,
        hocon.string("voxca.ca-key.key-label", "voxca-ca"),
        Path.of(pin).normalize(),
        ConfigValues.shortDuration("voxca.ca-key.retry", hocon.string("voxca.ca-key.retry", "5s")));
  }

  /** {@code voxca { store { type: directory | postgres, url, user, password-file } }}. */
  private static StoreKind database(Overrides o, Hocon hocon) {
    String url = o.storeUrl() != null ? o.storeUrl() : hocon.string("voxca.store.url", "");
    String type = hocon.string("voxca.store.type", url.isEmpty() ? "directory" : "postgres");
    if (type.equals("directory")) {
      return new StoreKind.Directory();
    }
    if (!type.equals("postgres")) {
      throw new ConfigException("voxca.store.type", "must be directory or postgres, not " + type);
    }
    if (!url.startsWith("jdbc:postgresql:")) {
      throw new ConfigException(
          "voxca.store.url", "must be jdbc:postgresql://host:port/database, not '" + url + "'");
    }
    String file = hocon.string("voxca.store.password-file", "");
    return new StoreKind.Postgres(
        url,
        hocon.string("voxca.store.user", "voxca"),
        file.isEmpty() ? null : Path.of(file).toAbsolutePath().normalize());
  }

  private static VoxcaConfig.Operations operations(PuppetSettings r, Hocon hocon) {
    String audit =
        hocon.string("voxca.audit-log", Path.of(r.get("logdir"), "voxca-audit.jsonl").toString());
    int port = ConfigValues.intValue("voxca.metrics.port", hocon.string("voxca.metrics.port", "0"));
    if (port < 0 || port > 65535) {
      throw new ConfigException("voxca.metrics.port", "must be between 0 and 65535, not " + port);
    }
    return new VoxcaConfig.Operations(
        audit.isBlank() ? null : Path.of(audit).toAbsolutePath().normalize(),
        hocon.string("voxca.metrics.host", "127.0.0.1"),
        port,
        ConfigValues.shortDuration("voxca.shed-after", hocon.string("voxca.shed-after", "20s")),
        ConfigValues.bool("voxca.console.enabled", hocon.string("voxca.console.enabled", "true")));
  }

  /** puppet.conf, then HOCON certificate-authority keys, then the flags. */
  private static Map<String, String> settings(Overrides o, Path confdir, Map<String, String> ca) {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("confdir", confdir.toString());
    Path puppetConf = confdir.resolve("puppet.conf");
    if (Files.isRegularFile(puppetConf)) {
      s.putAll(PuppetConf.read(puppetConf).serverSettings());
    }
    ca.forEach((k, v) -> s.put(k.replace('-', '_'), v));
    if (o.settings() != null) {
      o.settings().forEach((k, v) -> s.put(k.replace('-', '_'), v));
    }
    if (o.ssldir() != null) {
      s.put("ssldir", o.ssldir().toAbsolutePath().normalize().toString());
    }
    if (o.cadir() != null) {
      s.put("cadir", o.cadir().toAbsolutePath().normalize().toString());
    }
    if (o.certname() != null) {
      s.put("certname", o.certname());
    }
    if (o.autosign() != null) {
      s.put("autosign", o.autosign());
    }
    s.put("confdir", confdir.toString());
    return s;
  }

  private static VoxcaConfig.Webserver webserver(Overrides o, Hocon hocon) {
    String host = o.host() != null ? o.host() : hocon.string("webserver.ssl-host", "0.0.0.0");
    int port =
        o.port() != null
            ? o.port()
            : ConfigValues.intValue(
                "webserver.ssl-port", hocon.string("webserver.ssl-port", "8140"));
    if (port < 0 || port > 65535) {
      throw new ConfigException("webserver.ssl-port", "must be between 0 and 65535, not " + port);
    }
    boolean ecdsa =
        ConfigValues.bool(
            "voxca.tls.ecdsa-server-certificate",
            hocon.string("voxca.tls.ecdsa-server-certificate", "true"));
    String engine = hocon.string("voxca.tls.engine", "auto").trim().toLowerCase(Locale.ROOT);
    if (!List.of("auto", "native", "jdk").contains(engine)) {
      throw new ConfigException(
          "voxca.tls.engine", "must be auto, native or jdk, not '" + engine + "'");
    }
    return new VoxcaConfig.Webserver(host, port, ecdsa, engine);
  }
}
