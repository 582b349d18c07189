package org.voxca.ca;

import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.voxca.pki.Keys;

/**
 * The CA rules' settings, validated once at start-up (see {@code config}). Durations are whole
 * seconds.
 */
public record CaSettings(
    String certname,
    String caName,
    Duration caTtl,
    int keyLength,
    List<String> dnsAltNames,
    boolean allowDuplicateCerts,
    boolean allowSubjectAltNames,
    boolean allowAuthorizationExtensions,
    boolean allowAutoRenewal,
    Duration autoRenewalCertTtl,
    boolean enableInfraCrl,
    int minRsaKeyBits,
    String ecCurve,
    Duration crlTtl,
    String ocspUrl) {
  public CaSettings {
    Objects.requireNonNull(certname, "certname == null");
    Objects.requireNonNull(caName, "caName == null");
    Objects.requireNonNull(caTtl, "caTtl == null");
    dnsAltNames = List.copyOf(dnsAltNames);
    Objects.requireNonNull(autoRenewalCertTtl, "autoRenewalCertTtl == null");
    crlTtl = crlTtl == null ? Duration.ofDays(5 * 365) : crlTtl;
  }

  /** Puppet's defaults for a given certname (tests and the config layer start from here). */
  public static CaSettings defaults(String certname) {
    return new CaSettings(
        certname,
        "Puppet CA: " + certname,
        Duration.ofDays(5 * 365),
        4096,
        List.of(),
        false,
        false,
        false,
        false,
        Duration.ofDays(90),
        false,
        2048,
        null,
        null,
        null);
  }

  /**
   * A new key for the CA or the server: RSA of {@code keyLength} bits, or EC on {@code ecCurve}
   * when Puppet's {@code key_type = ec} chose one ({@code named_curve}, JDK name).
   */
  public KeyPair newKey() {
    return ecCurve == null ? Keys.rsa(keyLength) : Keys.ec(ecCurve);
  }

  /** {@code RSA-4096} or {@code EC secp256r1}, for logs. */
  public String keyDescription() {
    return ecCurve == null ? "RSA-" + keyLength : "EC " + ecCurve;
  }

  public CaSettings withKeyLength(int bits) {
    return new CaSettings(
        certname,
        caName,
        caTtl,
        bits,
        dnsAltNames,
        allowDuplicateCerts,
        allowSubjectAltNames,
        allowAuthorizationExtensions,
        allowAutoRenewal,
        autoRenewalCertTtl,
        enableInfraCrl,
        minRsaKeyBits,
        ecCurve,
        crlTtl,
        ocspUrl);
  }
}
