package org.voxca.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.voxca.ca.CaSettings;
import org.voxca.ca.autosign.TokenOrder;

/**
 * The CA's settings read in one pass: puppet.conf's CA settings and HOCON {@code
 * certificate-authority} and {@code voxca} keys, each validated, over {@link CaSettings}' defaults
 * (a key that is not given keeps its default; the defaults are written once, in the builder).
 */
final class CaConfig {
  private static final List<String> CURVES =
      List.of("prime256v1", "secp256r1", "secp384r1", "secp521r1");
  private static final Duration MAX_CA_TTL = Duration.ofSeconds(1_576_800_000L);
  private static final String AUTHORITY = "certificate-authority.";

  private CaConfig() {}

  static VoxcaConfig.Ca read(PuppetSettings r, Map<String, String> ca, Hocon hocon) {
    String certname = r.get("certname");
    if (certname.isEmpty()
        || !certname.equals(certname.toLowerCase(Locale.ROOT))
        || !certname.matches("[a-z0-9._-]+")) {
      throw new ConfigException(
          "certname", "'" + certname + "' must be a lower-case name of [a-z0-9._-]");
    }
    CaSettings.Builder b = CaSettings.forCertname(certname);
    r.given("ca_name").ifPresent(b::caName);
    r.given("ca_ttl").map(CaConfig::caTtl).ifPresent(b::caTtl);
    r.given("keylength").map(CaConfig::keyLength).ifPresent(b::keyLength);
    r.given("dns_alt_names").map(ConfigValues::altNames).ifPresent(b::dnsAltNames);
    r.given("allow_duplicate_certs")
        .map(v -> ConfigValues.bool("allow_duplicate_certs", v))
        .ifPresent(b::allowDuplicateCerts);
    flag(ca, "allow-subject-alt-names", b::allowSubjectAltNames);
    flag(ca, "allow-authorization-extensions", b::allowAuthorizationExtensions);
    flag(ca, "allow-auto-renewal", b::allowAutoRenewal);
    flag(ca, "enable-infra-crl", b::enableInfraCrl);
    Optional.ofNullable(ca.get("auto-renewal-cert-ttl"))
        .map(v -> PuppetDuration.parse(AUTHORITY + "auto-renewal-cert-ttl", v))
        .ifPresent(b::autoRenewalCertTtl);
    if (hocon.has("voxca.min-rsa-key-bits")) {
      b.minRsaKeyBits(ConfigValues.minRsaBits(hocon));
    }
    if (hocon.has("voxca.crl-ttl")) {
      b.crlTtl(ConfigValues.crlTtl(hocon));
    }
    b.ocspUrl(ConfigValues.ocspUrl(hocon));
    String ocspSigner = hocon.string("voxca.ocsp-signer", "delegated");
    if (!ocspSigner.equals("delegated") && !ocspSigner.equals("ca")) {
      throw new ConfigException(
          "voxca.ocsp-signer", "must be delegated or ca, not '" + ocspSigner + "'");
    }
    b.delegatedOcsp(ocspSigner.equals("delegated"));
    try {
      b.tokenOrder(TokenOrder.parse(hocon.string("voxca.autosign-tokens", "first")));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("voxca.autosign-tokens", e.getMessage());
    }
    String keyType = r.get("key_type");
    if (!keyType.equals("rsa") && !keyType.equals("ec")) {
      throw new ConfigException("key_type", "must be rsa or ec, not '" + keyType + "'");
    }
    String curve = r.get("named_curve");
    if (!CURVES.contains(curve)) {
      throw new ConfigException(
          "named_curve", "must be one of " + String.join(", ", CURVES) + ", not '" + curve + "'");
    }
    if (keyType.equals("ec")) {
      b.ecCurve(curve.equals("prime256v1") ? "secp256r1" : curve); // OpenSSL's name, the JDK's
    }
    String autosign = r.get("autosign");
    if (!autosign.equalsIgnoreCase("true")
        && !autosign.equalsIgnoreCase("false")
        && !Path.of(autosign).isAbsolute()) {
      throw new ConfigException(
          "autosign", "must be true, false or an absolute path, not '" + autosign + "'");
    }
    return new VoxcaConfig.Ca(
        b.build(),
        autosign,
        ConfigValues.twoLevel(hocon.string("voxca.ca-chain", "single")),
        GemConfig.read(hocon.string(GemConfig.KEY, "")));
  }

  private static Duration caTtl(String v) {
    Duration ttl = PuppetDuration.parse("ca_ttl", v);
    if (ttl.compareTo(MAX_CA_TTL) > 0) {
      throw new ConfigException(
          "ca_ttl", "Config setting ca_ttl must have a value below 1576800000");
    }
    return ttl;
  }

  private static int keyLength(String v) {
    int bits = ConfigValues.intValue("keylength", v);
    if (bits < 2048 || bits > 16384) {
      throw new ConfigException("keylength", "must be between 2048 and 16384, not " + bits);
    }
    return bits;
  }

  private static void flag(Map<String, String> ca, String key, Consumer<Boolean> set) {
    String v = ca.get(key);
    if (v != null) {
      set.accept(ConfigValues.bool(AUTHORITY + key, v));
    }
  }
}
