package org.voxca.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException.Generic;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Assembles {@link VoxcaConfig} from, lowest first: Puppet's defaults, puppet.conf (from the
 * confdir), Puppet Server's HOCON conf.d ({@code certificate-authority}, {@code authorization},
 * {@code webserver}, {@code jruby-puppet}), and command-line overrides. An operator's existing
 * files work unedited; a bad value fails with one line naming the key.
 */
public final class ConfigLoader {
  private static final Pattern VAR = Pattern.compile("\\$\\{?([a-z_]+)}?");
  private static final Duration MAX_CA_TTL = Duration.ofSeconds(1_576_800_000L);

  /** Command-line values; null means "not given". */
  public record Overrides(
      Path config, Path confdir, String host, Integer port, Path cadir, Path ssldir,
      String certname, String autosign, Map<String, String> settings) {}

  private ConfigLoader() {}

  public static VoxcaConfig load(Overrides o, Path defaultDataDir) {
    Config hocon = readHocon(o.config());
    Path confdir = o.confdir() != null ? o.confdir()
        : hocon.hasPath("jruby-puppet.server-conf-dir")
            ? Path.of(hocon.getString("jruby-puppet.server-conf-dir"))
            : defaultDataDir.resolve("puppet");
    confdir = confdir.toAbsolutePath().normalize();

    Map<String, String> s = new LinkedHashMap<>();
    s.put("confdir", confdir.toString());
    Path puppetConf = confdir.resolve("puppet.conf");
    if (Files.isRegularFile(puppetConf)) {
      s.putAll(PuppetConf.read(puppetConf).serverSettings());
    }
    Map<String, String> ca = section(hocon, "certificate-authority");
    for (Map.Entry<String, String> e : ca.entrySet()) {
      s.put(e.getKey().replace('-', '_'), e.getValue());
    }
    if (ca.containsKey("ca-ttl")) {
      s.put("ca_ttl", ca.get("ca-ttl"));
    }
    if (o.settings() != null) {
      o.settings().forEach((k, v) -> s.put(k.replace('-', '_'), v));
    }
    putIf(s, "ssldir", o.ssldir());
    putIf(s, "cadir", o.cadir());
    if (o.certname() != null) {
      s.put("certname", o.certname());
    }
    if (o.autosign() != null) {
      s.put("autosign", o.autosign());
    }
    s.put("confdir", confdir.toString());
    Resolver r = new Resolver(s, confdir);

    String host = o.host() != null ? o.host() : hoconString(hocon, "webserver.ssl-host", "0.0.0.0");
    int port = o.port() != null ? o.port() : intValue("webserver.ssl-port", hoconString(hocon, "webserver.ssl-port", "8140"));
    if (port < 0 || port > 65535) {
      throw new ConfigException("webserver.ssl-port", "must be between 0 and 65535, not " + port);
    }
    String certname = r.get("certname");
    if (certname.isEmpty() || !certname.equals(certname.toLowerCase(Locale.ROOT)) || !certname.matches("[a-z0-9._-]+")) {
      throw new ConfigException("certname", "'" + certname + "' must be a lower-case name of [a-z0-9._-]");
    }
    Duration caTtl = PuppetDuration.parse("ca_ttl", r.get("ca_ttl"));
    if (caTtl.compareTo(MAX_CA_TTL) > 0) {
      throw new ConfigException("ca_ttl", "Config setting ca_ttl must have a value below 1576800000");
    }
    int keyLength = intValue("keylength", r.get("keylength"));
    if (keyLength < 2048 || keyLength > 16384) {
      throw new ConfigException("keylength", "must be between 2048 and 16384, not " + keyLength);
    }
    String autosign = r.get("autosign");
    if (!autosign.equalsIgnoreCase("true") && !autosign.equalsIgnoreCase("false") && !Path.of(autosign).isAbsolute()) {
      throw new ConfigException("autosign", "must be true, false or an absolute path, not '" + autosign + "'");
    }
    long maxBody = hocon.hasPath("voxca.max-body-bytes") ? hocon.getBytes("voxca.max-body-bytes") : 1024 * 1024;
    return new VoxcaConfig(
        host, port, certname, confdir,
        r.path("cadir"), r.path("cacert"), r.path("cakey"), r.path("capub"), r.path("cacrl"),
        r.path("csrdir"), r.path("signeddir"), r.path("serial"), r.path("cert_inventory"),
        r.path("ssldir"), r.path("hostcert"), r.path("hostprivkey"), r.path("hostpubkey"),
        r.path("localcacert"), r.path("hostcrl"),
        r.get("ca_name"), caTtl, keyLength, altNames(r.get("dns_alt_names")), autosign,
        PuppetDuration.parse("voxca.autosign-timeout", hoconString(hocon, "voxca.autosign-timeout", "30s")),
        intValue("voxca.autosign-max-concurrent", hoconString(hocon, "voxca.autosign-max-concurrent", "4")),
        bool("allow_duplicate_certs", r.get("allow_duplicate_certs")),
        bool("certificate-authority.allow-subject-alt-names", ca.getOrDefault("allow-subject-alt-names", "false")),
        bool("certificate-authority.allow-authorization-extensions", ca.getOrDefault("allow-authorization-extensions", "false")),
        bool("certificate-authority.allow-auto-renewal", ca.getOrDefault("allow-auto-renewal", "false")),
        PuppetDuration.parse("certificate-authority.auto-renewal-cert-ttl", ca.getOrDefault("auto-renewal-cert-ttl", "90d")),
        bool("certificate-authority.enable-infra-crl", ca.getOrDefault("enable-infra-crl", "false")),
        bool("authorization.allow-header-cert-info", hoconString(hocon, "authorization.allow-header-cert-info", "false")),
        maxBody,
        authRules(hocon),
        TrustedOidMapping.read(Path.of(r.get("trusted_oid_mapping_file"))),
        serials(hoconString(hocon, "voxca.serials", "sequential")));
  }

  /** auth.conf's {@code authorization.rules} as plain maps, or null when no rules are configured. */
  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> authRules(Config hocon) {
    if (!hocon.hasPath("authorization.rules")) {
      return null;
    }
    if (hocon.hasPath("authorization.version") && !"1".equals(String.valueOf(hocon.getValue("authorization.version").unwrapped()))) {
      throw new ConfigException("authorization.version", "only version 1 is supported");
    }
    Object rules = hocon.getValue("authorization.rules").unwrapped();
    if (!(rules instanceof List<?> list) || !list.stream().allMatch(x -> x instanceof Map)) {
      throw new ConfigException("authorization.rules", "must be a list of rule objects");
    }
    return (List<Map<String, Object>>) rules;
  }

  /** Puppet's defaults, resolved lazily with $setting interpolation. */
  private static final class Resolver {
    private final Map<String, String> values;
    private final Path confdir;

    Resolver(Map<String, String> values, Path confdir) {
      this.values = values;
      this.confdir = confdir;
    }

    String get(String key) {
      return resolve(key, 0);
    }

    Path path(String key) {
      return Path.of(get(key)).toAbsolutePath().normalize();
    }

    private String resolve(String key, int depth) {
      if (depth > 20) {
        throw new ConfigException(key, "setting refers to itself through $-interpolation");
      }
      String raw = values.containsKey(key) ? values.get(key) : defaultOf(key);
      if (raw == null) {
        throw new ConfigException(key, "unknown setting");
      }
      Matcher m = VAR.matcher(raw);
      StringBuilder sb = new StringBuilder();
      while (m.find()) {
        m.appendReplacement(sb, Matcher.quoteReplacement(resolve(m.group(1), depth + 1)));
      }
      m.appendTail(sb);
      return sb.toString();
    }

    private String defaultOf(String key) {
      return switch (key) {
        case "ssldir" -> "$confdir/ssl";
        case "certdir" -> "$ssldir/certs";
        case "privatekeydir" -> "$ssldir/private_keys";
        case "publickeydir" -> "$ssldir/public_keys";
        case "hostcert" -> "$certdir/$certname.pem";
        case "hostprivkey" -> "$privatekeydir/$certname.pem";
        case "hostpubkey" -> "$publickeydir/$certname.pem";
        case "localcacert" -> "$certdir/ca.pem";
        case "hostcrl" -> "$ssldir/crl.pem";
        case "cadir" -> defaultCadir();
        case "cacert" -> "$cadir/ca_crt.pem";
        case "cakey" -> "$cadir/ca_key.pem";
        case "capub" -> "$cadir/ca_pub.pem";
        case "cacrl" -> "$cadir/ca_crl.pem";
        case "csrdir" -> "$cadir/requests";
        case "signeddir" -> "$cadir/signed";
        case "serial" -> "$cadir/serial";
        case "cert_inventory" -> "$cadir/inventory.txt";
        case "certname" -> defaultCertname();
        case "ca_name" -> "Puppet CA: $certname";
        case "ca_ttl" -> "5y";
        case "keylength" -> "4096";
        case "autosign" -> "$confdir/autosign.conf";
        case "allow_duplicate_certs" -> "false";
        case "dns_alt_names" -> "";
        case "trusted_oid_mapping_file" -> "$confdir/custom_trusted_oid_mapping.yaml";
        case "vardir" -> "$confdir/cache";
        case "codedir" -> "$confdir/code";
        case "rundir", "logdir" -> "$vardir";
        default -> null;
      };
    }

    /** Legacy {@code $ssldir/ca} when it is a directory, else {@code <confdir>/../puppetserver/ca}. */
    private String defaultCadir() {
      Path legacy = Path.of(get("ssldir")).resolve("ca");
      if (Files.isDirectory(legacy)) {
        return legacy.toString();
      }
      Path parent = confdir.getParent() != null ? confdir.getParent() : confdir;
      return parent.resolve("puppetserver").resolve("ca").toString();
    }
  }

  static String defaultCertname() {
    try {
      return java.net.InetAddress.getLocalHost().getCanonicalHostName().toLowerCase(Locale.ROOT);
    } catch (java.net.UnknownHostException e) {
      return "localhost";
    }
  }

  private static Config readHocon(Path path) {
    if (path == null) {
      return ConfigFactory.empty();
    }
    try {
      if (Files.isDirectory(path)) {
        Config merged = ConfigFactory.empty();
        File[] files = path.toFile().listFiles((d, n) -> n.endsWith(".conf"));
        if (files != null) {
          Arrays.sort(files);
          for (File f : files) {
            merged = ConfigFactory.parseFile(f, ConfigParseOptions.defaults().setAllowMissing(false)).withFallback(merged);
          }
        }
        return merged.resolve();
      }
      if (!Files.isRegularFile(path)) {
        throw new ConfigException("--config", path + " is neither a HOCON file nor a conf.d directory");
      }
      return ConfigFactory.parseFile(path.toFile(), ConfigParseOptions.defaults().setAllowMissing(false)).resolve();
    } catch (com.typesafe.config.ConfigException e) {
      throw new ConfigException(String.valueOf(path), e.getMessage().replaceAll("\\s+", " "));
    }
  }

  private static Map<String, String> section(Config c, String name) {
    Map<String, String> out = new LinkedHashMap<>();
    if (!c.hasPath(name)) {
      return out;
    }
    try {
      c.getConfig(name).entrySet().forEach(e -> out.put(e.getKey(), String.valueOf(e.getValue().unwrapped())));
    } catch (com.typesafe.config.ConfigException e) {
      throw new ConfigException(name, "must be an object");
    }
    return out;
  }

  private static String hoconString(Config c, String key, String dflt) {
    if (!c.hasPath(key)) {
      return dflt;
    }
    try {
      return String.valueOf(c.getValue(key).unwrapped());
    } catch (Generic e) {
      throw new ConfigException(key, e.getMessage());
    }
  }

  private static void putIf(Map<String, String> s, String key, Path p) {
    if (p != null) {
      s.put(key, p.toAbsolutePath().normalize().toString());
    }
  }

  static boolean serials(String v) {
    return switch (v) {
      case "sequential" -> false;
      case "random" -> true;
      default -> throw new ConfigException("voxca.serials", "must be sequential or random, not '" + v + "'");
    };
  }

  static int intValue(String key, String v) {
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(key, "'" + v + "' is not an integer");
    }
  }

  static boolean bool(String key, String v) {
    String t = v.trim().toLowerCase(Locale.ROOT);
    if (t.equals("true")) {
      return true;
    }
    if (t.equals("false")) {
      return false;
    }
    throw new ConfigException(key, "'" + v + "' is not true or false");
  }

  static List<String> altNames(String v) {
    return Arrays.stream(v.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
  }
}
