package org.voxca.ca;

import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.voxca.ca.autosign.TokenOrder;
import org.voxca.pki.Keys;

/**
 * The CA rules' settings, validated once at start-up (see {@code config}). Durations are whole
 * seconds. Built by name from Puppet's defaults ({@link #forCertname}); the {@link Builder} is the
 * one place those defaults are written.
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
    String ocspUrl,
    boolean delegatedOcsp,
    TokenOrder tokenOrder,
    CaKeys keys) {
  public CaSettings {
    Objects.requireNonNull(keys, "keys == null");
    Objects.requireNonNull(tokenOrder, "tokenOrder == null");
    Objects.requireNonNull(certname, "certname == null");
    Objects.requireNonNull(caName, "caName == null");
    Objects.requireNonNull(caTtl, "caTtl == null");
    dnsAltNames = List.copyOf(dnsAltNames);
    Objects.requireNonNull(autoRenewalCertTtl, "autoRenewalCertTtl == null");
    Objects.requireNonNull(crlTtl, "crlTtl == null");
  }

  /** Puppet's defaults for {@code certname}, to change by name before {@link Builder#build()}. */
  public static Builder forCertname(String certname) {
    return new Builder(certname);
  }

  /** Puppet's defaults for a given certname. */
  public static CaSettings defaults(String certname) {
    return forCertname(certname).build();
  }

  /**
   * A new key for the CA or the server: RSA of {@code keyLength} bits, or EC on {@code ecCurve}
   * when Puppet's {@code key_type = ec} chose one ({@code named_curve}, JDK name).
   */
  public KeyPair newKey() {
    return ecCurve == null ? Keys.rsa(keyLength) : Keys.ec(ecCurve);
  }

  /**
   * A new key for the CA's {@code role} ({@code ca}, {@code root}), where {@link #keys} keep it.
   */
  public KeyPair newCaKey(String role) {
    return keys.generate(role, keyLength, ecCurve);
  }

  /** {@code RSA-4096} or {@code EC secp256r1}, for logs. */
  public String keyDescription() {
    return ecCurve == null ? "RSA-" + keyLength : "EC " + ecCurve;
  }

  public CaSettings withKeyLength(int bits) {
    return toBuilder().keyLength(bits).build();
  }

  /** These settings, to change by name. */
  public Builder toBuilder() {
    Builder b = new Builder(certname);
    b.caName = caName;
    b.caTtl = caTtl;
    b.keyLength = keyLength;
    b.dnsAltNames = dnsAltNames;
    b.allowDuplicateCerts = allowDuplicateCerts;
    b.allowSubjectAltNames = allowSubjectAltNames;
    b.allowAuthorizationExtensions = allowAuthorizationExtensions;
    b.allowAutoRenewal = allowAutoRenewal;
    b.autoRenewalCertTtl = autoRenewalCertTtl;
    b.enableInfraCrl = enableInfraCrl;
    b.minRsaKeyBits = minRsaKeyBits;
    b.ecCurve = ecCurve;
    b.crlTtl = crlTtl;
    b.ocspUrl = ocspUrl;
    b.delegatedOcsp = delegatedOcsp;
    b.tokenOrder = tokenOrder;
    b.keys = keys;
    return b;
  }

  /** Settings by name, starting from Puppet's defaults (each named once, here). */
  public static final class Builder {
    private final String certname;
    private String caName;
    private Duration caTtl = Duration.ofDays(5 * 365);
    private int keyLength = 4096;
    private List<String> dnsAltNames = List.of();
    private boolean allowDuplicateCerts;
    private boolean allowSubjectAltNames;
    private boolean allowAuthorizationExtensions;
    private boolean allowAutoRenewal;
    private Duration autoRenewalCertTtl = Duration.ofDays(90);
    private boolean enableInfraCrl;
    private int minRsaKeyBits = 2048;
    private String ecCurve;
    private Duration crlTtl = Duration.ofDays(5 * 365);
    private String ocspUrl;
    private boolean delegatedOcsp = true;
    private TokenOrder tokenOrder = TokenOrder.FIRST;
    private CaKeys keys = CaKeys.SOFTWARE;

    private Builder(String certname) {
      this.certname = certname;
      this.caName = "Puppet CA: " + certname;
    }

    /** {@code ca_name}; default {@code Puppet CA: <certname>}. */
    public Builder caName(String v) {
      caName = v;
      return this;
    }

    /** {@code ca_ttl}; default five years. */
    public Builder caTtl(Duration v) {
      caTtl = v;
      return this;
    }

    /** {@code keylength} of new RSA keys; default 4096. */
    public Builder keyLength(int v) {
      keyLength = v;
      return this;
    }

    /** {@code dns_alt_names} of the server's own certificate; default none. */
    public Builder dnsAltNames(List<String> v) {
      dnsAltNames = v;
      return this;
    }

    /** {@code allow_duplicate_certs}; default false. */
    public Builder allowDuplicateCerts(boolean v) {
      allowDuplicateCerts = v;
      return this;
    }

    /** {@code certificate-authority.allow-subject-alt-names}; default false. */
    public Builder allowSubjectAltNames(boolean v) {
      allowSubjectAltNames = v;
      return this;
    }

    /** {@code certificate-authority.allow-authorization-extensions}; default false. */
    public Builder allowAuthorizationExtensions(boolean v) {
      allowAuthorizationExtensions = v;
      return this;
    }

    /** {@code certificate-authority.allow-auto-renewal}; default false. */
    public Builder allowAutoRenewal(boolean v) {
      allowAutoRenewal = v;
      return this;
    }

    /** {@code certificate-authority.auto-renewal-cert-ttl}; default 90 days. */
    public Builder autoRenewalCertTtl(Duration v) {
      autoRenewalCertTtl = v;
      return this;
    }

    /** {@code certificate-authority.enable-infra-crl}; default false. */
    public Builder enableInfraCrl(boolean v) {
      enableInfraCrl = v;
      return this;
    }

    /** {@code voxca.min-rsa-key-bits} of agents' keys; default 2048. */
    public Builder minRsaKeyBits(int v) {
      minRsaKeyBits = v;
      return this;
    }

    /** The JDK name of the EC curve of new keys ({@code key_type = ec}); null: RSA (default). */
    public Builder ecCurve(String v) {
      ecCurve = v;
      return this;
    }

    /** {@code voxca.crl-ttl}: the CRL's lifetime; default five years, as Puppet's. */
    public Builder crlTtl(Duration v) {
      crlTtl = v;
      return this;
    }

    /** {@code voxca.ocsp-url} written into leaves' AIA; default none. */
    public Builder ocspUrl(String v) {
      ocspUrl = v;
      return this;
    }

    /**
     * {@code voxca.ocsp-signer}: true (delegated, the default) signs OCSP responses with a
     * short-lived responder certificate; false with the CA key.
     */
    public Builder delegatedOcsp(boolean v) {
      delegatedOcsp = v;
      return this;
    }

    /** {@code voxca.autosign-tokens}: enrolment tokens before or after autosign; default first. */
    public Builder tokenOrder(TokenOrder v) {
      tokenOrder = v;
      return this;
    }

    /** Where the CA's keys live ({@code voxca.ca-key}); default {@link CaKeys#SOFTWARE}. */
    public Builder keys(CaKeys v) {
      keys = v;
      return this;
    }

    public CaSettings build() {
      return new CaSettings(
          certname,
          caName,
          caTtl,
          keyLength,
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
          ocspUrl,
          delegatedOcsp,
          tokenOrder,
          keys);
    }
  }
}
