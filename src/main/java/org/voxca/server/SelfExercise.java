package org.voxca.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.voxca.config.VoxcaConfig;
import org.voxca.pki.Certificates;
import org.voxca.pki.CsrBuilder;
import org.voxca.pki.Keys;

/**
 * One agent's bootstrap against a just-started server, over HTTPS: what {@code serve
 * --exit-when-ready} does so that the JVM can record the classes a CA uses (the launcher's
 * class-data-sharing archive, which takes a few hundred milliseconds off every start).
 */
final class SelfExercise {
  private SelfExercise() {}

  static void run(VoxcaServer server, VoxcaConfig c) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    int i = 0;
    for (X509Certificate ca : Certificates.readCertificates(Files.readString(c.cacert()))) {
      trust.setCertificateEntry("ca" + i++, ca);
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    HttpClient http = HttpClient.newBuilder().sslContext(ctx).version(HttpClient.Version.HTTP_1_1).build();
    String base = "https://127.0.0.1:" + server.port();
    String name = "exercise-" + Long.toHexString(System.nanoTime()) + ".voxca";
    KeyPair key = Keys.rsa(2048);
    String csr = org.voxca.pki.Pem.encode(CsrBuilder.build(name, key, java.util.List.of()));
    for (String[] r : new String[][] {
        {"GET", "/status/v1/simple"}, {"GET", "/puppet-ca/v1/certificate/ca"},
        {"GET", "/puppet-ca/v1/certificate_revocation_list/ca"},
        {"PUT", "/puppet-ca/v1/certificate_request/" + name}, {"GET", "/puppet-ca/v1/certificate/" + name}}) {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + r[1]))
          .header("If-Modified-Since", "Sat, 01 Jan 2000 00:00:00 GMT");
      b.method(r[0], r[0].equals("PUT") ? HttpRequest.BodyPublishers.ofString(csr) : HttpRequest.BodyPublishers.noBody());
      http.send(b.build(), HttpResponse.BodyHandlers.discarding());
    }
  }
}
