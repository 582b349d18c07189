package org.voxca.client;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import org.voxca.pki.Certificates;
import org.voxca.pki.San;

/**
 * An HTTPS client of the Puppet CA API with a client certificate (the server's own pp_cli_auth
 * certificate for the operator's CLI). The server is trusted when its chain verifies against the CA
 * bundle and its certificate names {@code expectedServerName} — not the URL's host, so the CLI can
 * talk to 127.0.0.1 on the CA host.
 */
public final class PuppetCaClient {
  private final HttpClient http;
  private final String base;

  private static final String CA = "/puppet-ca/v1/";
  private static final String TEXT = "text/plain";
  private static final String JSON = "application/json";

  /** A response: status and body text. */
  public record Reply(int status, String body) {}

  public PuppetCaClient(
      String baseUrl,
      List<X509Certificate> caBundle,
      X509Certificate cert,
      PrivateKey key,
      String expectedServerName) {
    this.base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .sslContext(context(caBundle, cert, key, expectedServerName))
            .build();
  }

  /** {@code GET /status/v1/simple}: "running" when the server is up. */
  public Reply simpleStatus() throws IOException {
    return send("GET", "/status/v1/simple", null, TEXT, null);
  }

  /** {@code GET certificate/<name>}; {@code ca} is the CA bundle. */
  public Reply certificate(String name) throws IOException {
    return send("GET", CA + "certificate/" + segment(name), null, TEXT, null);
  }

  /** {@code GET certificate_revocation_list/ca}: the CRL chain agents download. */
  public Reply crl() throws IOException {
    return send("GET", CA + "certificate_revocation_list/ca", null, TEXT, null);
  }

  /** {@code PUT certificate_request/<name>} with a PEM CSR. */
  public Reply submitCsr(String name, String csrPem) throws IOException {
    return send("PUT", CA + "certificate_request/" + segment(name), csrPem, JSON, TEXT);
  }

  /**
   * {@code GET certificate_statuses/any_key[?state=]}: every status as JSON, or only those in
   * {@code state} (requested, signed, revoked) when it is not null.
   */
  public Reply statuses(String state) throws IOException {
    String query = state == null ? "" : "?state=" + segment(state);
    return send("GET", CA + "certificate_statuses/any_key" + query, null, JSON, null);
  }

  /** {@code PUT certificate_status/<name>} to "signed", with a lifetime in seconds when given. */
  public Reply sign(String name, Long ttlSeconds) throws IOException {
    String body =
        ttlSeconds == null
            ? "{\"desired_state\":\"signed\"}"
            : "{\"desired_state\":\"signed\",\"cert_ttl\":" + ttlSeconds + "}";
    return send("PUT", CA + "certificate_status/" + segment(name), body, JSON, JSON);
  }

  /** {@code GET expirations}: notAfter of each CA certificate, nextUpdate of each CRL (JSON). */
  public Reply expirations() throws IOException {
    return send("GET", CA + "expirations", null, JSON, null);
  }

  /** {@code PUT certificate_status/<name>} to "revoked". */
  public Reply revoke(String name) throws IOException {
    String body = "{\"desired_state\":\"revoked\"}";
    return send("PUT", CA + "certificate_status/" + segment(name), body, JSON, JSON);
  }

  /** {@code DELETE certificate_status/<name>}: the name's certificate and CSR files. */
  public Reply deleteFiles(String name) throws IOException {
    return send("DELETE", CA + "certificate_status/" + segment(name), null, JSON, null);
  }

  /** voxca's {@code POST /voxca/v1/ca_extension}: extends the CA certificate of a running CA. */
  public Reply extendCa(long ttlSeconds, boolean root, boolean force) throws IOException {
    String body = "{\"ttl\":" + ttlSeconds + ",\"root\":" + root + ",\"force\":" + force + "}";
    return send("POST", "/voxca/v1/ca_extension", body, JSON, JSON);
  }

  /**
   * One of voxca's own admin calls under {@code /voxca/v1/} ({@code enrolment_tokens}, {@code
   * autosign_check}): {@code body} JSON, or a CSR for the check.
   */
  public Reply voxca(String method, String path, String body, String contentType)
      throws IOException {
    return send(method, "/voxca/v1/" + path, body, JSON, contentType);
  }

  /** A path segment, percent-encoded. */
  public static String segment(String name) {
    return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private Reply send(String method, String path, String body, String accept, String contentType)
      throws IOException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(60))
            .header("User-Agent", "voxca-cli")
            .header("Accept", accept);
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r.body());
    } catch (ConnectException e) {
      throw new IOException(
          "cannot reach the CA at " + base + " (connection refused); is voxca running there?", e);
    } catch (SSLException e) {
      throw new IOException("TLS with the CA at " + base + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static SSLContext context(
      List<X509Certificate> ca, X509Certificate cert, PrivateKey key, String serverName) {
    try {
      KeyStore ts = KeyStore.getInstance("PKCS12");
      ts.load(null, null);
      for (int i = 0; i < ca.size(); i++) {
        ts.setCertificateEntry("ca" + i, ca.get(i));
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
      tmf.init(ts);
      X509TrustManager pkix = (X509TrustManager) tmf.getTrustManagers()[0];
      char[] pw = "voxca-cli".toCharArray();
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("me", key, pw, new X509Certificate[] {cert});
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, pw);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(
          kmf.getKeyManagers(), new TrustManager[] {new NamedServerTrust(pkix, serverName)}, null);
      return ctx;
    } catch (Exception e) {
      throw new IllegalStateException("cannot set up TLS for the CA client: " + e.getMessage(), e);
    }
  }

  /** Chain validation against the CA, then the server certificate must name {@code serverName}. */
  private static final class NamedServerTrust extends X509ExtendedTrustManager {
    private final X509TrustManager pkix;
    private final String serverName;

    NamedServerTrust(X509TrustManager pkix, String serverName) {
      this.pkix = pkix;
      this.serverName = serverName;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      pkix.checkServerTrusted(chain, authType);
      X509Certificate leaf = chain[0];
      boolean named =
          Certificates.commonName(leaf).equals(serverName)
              || San.entries(San.of(leaf), false).contains("DNS:" + serverName);
      if (!named) {
        throw new CertificateException("the server's certificate does not name " + serverName);
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw new CertificateException("client side only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return pkix.getAcceptedIssuers();
    }
  }
}
