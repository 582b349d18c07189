package org.voxca.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.voxca.config.ConfigLoader;
import org.voxca.config.VoxcaConfig;
import org.voxca.pki.Certificates;
import org.voxca.pki.Issuer;
import org.voxca.pki.Keys;
import org.voxca.server.VoxcaServer;

/**
 * A real voxca server on 127.0.0.1, port 0, in a temp directory, with RSA-2048 keys and {@code
 * IP:127.0.0.1} in its certificate. One per test class.
 */
public final class TestServer implements AutoCloseable {
  private static final AtomicInteger SERIAL = new AtomicInteger(1000);
  public final Path root;
  public final VoxcaServer server;
  private final Map<String, String> settings;

  private TestServer(Path root, VoxcaServer server, Map<String, String> settings) {
    this.root = root;
    this.server = server;
    this.settings = settings;
  }

  public static Builder builder(Path root) {
    return new Builder(root);
  }

  /** Options for a test server. */
  public static final class Builder {
    private final Path root;
    private String autosign = "false";
    private Path config;
    private boolean testLimits = true;
    private final Map<String, String> settings = new LinkedHashMap<>();

    Builder(Path root) {
      this.root = root;
      settings.put("keylength", "2048");
      settings.put("dns_alt_names", "localhost,IP:127.0.0.1");
    }

    public Builder autosign(String a) {
      autosign = a;
      return this;
    }

    public Builder setting(String k, String v) {
      settings.put(k, v);
      return this;
    }

    /**
     * voxca's own connection limits, as shipped. Otherwise a test server allows 1,024 connections
     * per address: every test client connects from 127.0.0.1 and keeps each connection 3 s, where
     * real agents come from their own addresses.
     */
    public Builder productionLimits() {
      testLimits = false;
      return hocon(hoconText == null ? "" : hoconText);
    }

    private String hoconText;

    /**
     * The TLS engine every test server uses when the build runs a test set again on another engine
     * ({@code -Dvoxca.test.tls-engine=jdk}); a test's own HOCON may still override it.
     */
    private static final String TLS_ENGINE = System.getProperty("voxca.test.tls-engine");

    public Builder hocon(String text) {
      try {
        hoconText = text;
        config = root.resolve("voxca.conf");
        Files.createDirectories(root);
        Files.writeString(
            config,
            (testLimits
                    ? "voxca { max-connections-per-address: 1024, max-submissions-per-address: 0 }\n"
                    : "")
                + (TLS_ENGINE == null ? "" : "voxca.tls.engine = " + TLS_ENGINE + "\n")
                + text);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    public VoxcaConfig config() {
      if (config == null && (testLimits || TLS_ENGINE != null)) {
        hocon("");
      }
      return ConfigLoader.load(
          new ConfigLoader.Overrides(
              config,
              root.resolve("puppet"),
              "127.0.0.1",
              0,
              null,
              null,
              "voxca.test",
              autosign,
              settings,
              null),
          root);
    }

    public TestServer start() throws Exception {
      VoxcaServer server = VoxcaServer.start(config());
      if (!server.awaitReady(java.time.Duration.ofSeconds(30))) {
        server.close();
        throw new IllegalStateException("the test server did not become ready");
      }
      return new TestServer(root, server, settings);
    }
  }

  public int port() {
    return server.port();
  }

  /** The TLS engine serving this server's HTTPS ({@code native} or {@code jdk}). */
  public String tlsEngine() {
    return server.tlsEngine();
  }

  /**
   * The engine a test server runs on in this test run: the one the run asks for, else the default's
   * choice (BoringSSL where it loads).
   */
  public static String expectedTlsEngine() {
    String asked = System.getProperty("voxca.test.tls-engine");
    if (asked != null && !asked.equals("auto")) {
      return asked;
    }
    return org.voxca.tls.TlsEngine.nativeAvailable() ? "native" : "jdk";
  }

  public VoxcaConfig config() {
    return server.config();
  }

  public Path cadir() {
    return config().store().cadir();
  }

  public Issuer issuer() {
    return server.ca().issuer();
  }

  public List<X509Certificate> caBundle() {
    return server.ca().trustedCertificates();
  }

  /** The CRL chain the server serves to agents, the CA's own CRL first. */
  public List<X509CRL> crlChain() {
    return Certificates.readCrls(
        anonymous().get("/puppet-ca/v1/certificate_revocation_list/ca").body());
  }

  /** No client certificate. */
  public TestClient anonymous() {
    return new TestClient(port(), caBundle(), null, null);
  }

  /** The server's own certificate: pp_cli_auth, the admin identity. */
  public TestClient admin() {
    try {
      X509Certificate cert =
          Certificates.readCertificates(Files.readString(config().ssl().hostcert())).get(0);
      PrivateKey key =
          Keys.readKeyPair(Files.readString(config().ssl().hostprivkey())).getPrivate();
      return new TestClient(port(), caBundle(), cert, key);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An agent certificate issued by this CA (not recorded in the CA directory). */
  public TestClient agent(String name) {
    KeyPair key = TestPki.ecKey();
    X509Certificate cert =
        TestPki.issue(issuer(), name, key, BigInteger.valueOf(SERIAL.incrementAndGet()), false);
    return new TestClient(port(), caBundle(), cert, key.getPrivate());
  }

  /** A POST of {@code json} to voxca's CA rollover API, as the admin. */
  public java.net.http.HttpResponse<String> rollover(String json) {
    return admin().send("POST", "/voxca/v1/ca_rollover", json, "Content-Type", "application/json");
  }

  /**
   * The rollover {@code action} (prepare, activate, abort) as the admin; anything but 200 fails.
   */
  public java.net.http.HttpResponse<String> rolloverAction(String action) {
    java.net.http.HttpResponse<String> r = rollover("{\"action\":\"" + action + "\"}");
    if (r.statusCode() != 200) {
      throw new AssertionError(
          "rollover " + action + " answered " + r.statusCode() + ": " + r.body());
    }
    return r;
  }

  public TestClient client(X509Certificate cert, PrivateKey key) {
    return new TestClient(port(), caBundle(), cert, key);
  }

  @Override
  public void close() {
    server.close();
  }
}
