package org.voxca.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.voxca.ca.CaSettings;
import org.voxca.ca.autosign.GemSecret;

/**
 * Every setting voxca runs with, resolved, validated and frozen at start-up, grouped by concern:
 * where it listens, the CA's rules, the CA directory (the store), the server's own ssldir,
 * authorization, and voxca's own limits.
 */
public record VoxcaConfig(
    Path confdir,
    Webserver webserver,
    Ca ca,
    Store store,
    Ssl ssl,
    Auth auth,
    Limits limits,
    Operations operations) {

  /**
   * {@code webserver { ssl-host, ssl-port }}, and {@code voxca { tls { ecdsa-server-certificate,
   * engine } }}: whether the server also offers an ECDSA certificate (on by default), and its TLS
   * engine: {@code auto} (the default: BoringSSL where its library loads, else the JDK's), {@code
   * native} (BoringSSL or no start) or {@code jdk}.
   */
  public record Webserver(String host, int port, boolean ecdsaServerCertificate, String tlsEngine) {
    public Webserver(String host, int port, boolean ecdsaServerCertificate) {
      this(host, port, ecdsaServerCertificate, "auto");
    }
  }

  /**
   * The CA's rules (puppet.conf's CA settings and HOCON {@code certificate-authority}, over
   * Puppet's defaults), the {@code autosign} setting, whether a new CA is two-level, and the
   * autosign gem's secret when its tokens are accepted (null otherwise).
   */
  public record Ca(CaSettings rules, String autosign, boolean twoLevel, GemSecret gemSecret) {}

  /**
   * The CA directory in Puppet's layout, how serials are chosen, which store holds it, and the
   * passphrase file the CA keys are encrypted under ({@code voxca { ca-key { type: encrypted,
   * passphrase-file } }}; null: plain keys, as Puppet Server writes them).
   */
  public record Store(
      Path cadir,
      Path cacert,
      Path cakey,
      Path capub,
      Path cacrl,
      Path csrdir,
      Path signeddir,
      Path serial,
      Path inventory,
      boolean randomSerials,
      StoreKind kind,
      Path keyPassphraseFile,
      Pkcs11 pkcs11) {}

  /**
   * {@code voxca { ca-key { type: pkcs11, library, token-label, key-label, pin-file, retry } }}:
   * the token that holds the CA keys (null in {@link Store} when they are files).
   */
  public record Pkcs11(
      Path library, String tokenLabel, String keyLabel, Path pinFile, java.time.Duration retry) {}

  /** The server's own identity in its ssldir (puppet.conf's hostcert, hostprivkey, …). */
  public record Ssl(
      Path ssldir,
      Path hostcert,
      Path hostprivkey,
      Path hostpubkey,
      Path localcacert,
      Path hostcrl) {}

  /**
   * {@code authorization}: the header-identity switch, auth.conf's rules as plain maps (null when
   * none are configured: Puppet's defaults apply), and the trusted OID short names.
   */
  public record Auth(
      boolean allowHeaderCertInfo,
      List<Map<String, Object>> rules,
      Map<String, String> trustedOidShortNames) {}

  /**
   * voxca's own keys: {@code voxca { autosign-timeout, autosign-max-concurrent, max-body-bytes,
   * body-timeout, max-connections-per-address, access-log, max-connections, handshake-timeout }} (0
   * connections: no cap; access-log {@code stdout}, a file, or empty for none; max-connections:
   * open TLS connections in all, past which new ones wait in the kernel's accept queue;
   * handshake-timeout: from accept to a complete TLS handshake, zero for none;
   * max-submissions-per-address: CSR submissions a client address may make a minute, zero for no
   * limit).
   */
  public record Limits(
      Duration autosignTimeout,
      int autosignMaxConcurrent,
      long maxBodyBytes,
      Duration bodyTimeout,
      int maxConnectionsPerAddress,
      String accessLog,
      int maxConnections,
      Duration handshakeTimeout,
      int maxSubmissionsPerAddress) {}

  /**
   * How voxca is watched and kept up: {@code voxca { audit-log }} (a JSON-lines file, null when
   * off; default {@code $logdir/voxca-audit.jsonl}), {@code voxca { metrics { host, port } }} (port
   * 0: no metrics listener), and {@code voxca { shed-after }}: the longest a new submission or
   * renewal may wait for the signing work queued before it; past it, 503 with Retry-After (zero:
   * never shed), and {@code voxca { console { enabled } }}: the operator console under {@code
   * /console/} (on by default; auth.conf still decides who may use it).
   */
  public record Operations(
      Path auditLog, String metricsHost, int metricsPort, Duration shedAfter, boolean console) {}

  /** The server's certname (puppet.conf {@code certname}). */
  public String certname() {
    return ca.rules().certname();
  }
}
