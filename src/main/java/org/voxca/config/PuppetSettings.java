package org.voxca.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Puppet's settings as the CA reads them: the given values over Puppet's defaults, resolved lazily
 * with {@code $setting} interpolation (so {@code cadir = $ssldir/ca} works).
 */
final class PuppetSettings {
  private static final Pattern VAR = Pattern.compile("\\$\\{?([a-z_]+)}?");
  private final Map<String, String> values;
  private final Path confdir;

  PuppetSettings(Map<String, String> values, Path confdir) {
    this.values = values;
    this.confdir = confdir;
  }

  /** The value given for {@code key} (puppet.conf, HOCON or a flag), resolved; empty if none. */
  java.util.Optional<String> given(String key) {
    return values.containsKey(key) ? java.util.Optional.of(get(key)) : java.util.Optional.empty();
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
      case "certname" -> HostName.fqdn();
      case "key_type" -> "rsa";
      case "named_curve" -> "prime256v1";
      case "autosign" -> "$confdir/autosign.conf";
      case "trusted_oid_mapping_file" -> "$confdir/custom_trusted_oid_mapping.yaml";
      case "vardir" -> "$confdir/cache";
      case "codedir" -> "$confdir/code";
      case "rundir", "logdir" -> "$vardir";
      default -> null;
    };
  }

  /**
   * Legacy {@code $ssldir/ca} when it is a directory, else {@code <confdir>/../puppetserver/ca}.
   */
  private String defaultCadir() {
    Path legacy = Path.of(get("ssldir")).resolve("ca");
    if (Files.isDirectory(legacy)) {
      return legacy.toString();
    }
    Path parent = confdir.getParent() != null ? confdir.getParent() : confdir;
    return parent.resolve("puppetserver").resolve("ca").toString();
  }
}
