package org.voxca.server;

import java.nio.file.Files;
import java.security.KeyPair;
import java.util.List;
import org.voxca.client.PuppetCaClient;
import org.voxca.config.VoxcaConfig;
import org.voxca.pki.Certificates;
import org.voxca.pki.CsrBuilder;
import org.voxca.pki.Keys;
import org.voxca.pki.Pem;

/**
 * One agent's bootstrap and one operator listing against a just-started server, over mutual TLS
 * with the server's own (admin) certificate: what {@code serve --exit-when-ready} does so that the
 * JVM records the classes a CA uses (the launcher's class-data-sharing archive, a few hundred
 * milliseconds off every start).
 */
final class SelfExercise {
  private SelfExercise() {}

  /** Runs the exchange; an unexpected answer is an {@link IllegalStateException}. */
  static void run(VoxcaServer server, VoxcaConfig c) throws Exception {
    VoxcaConfig.Ssl ssl = c.ssl();
    PuppetCaClient client =
        new PuppetCaClient(
            "https://127.0.0.1:" + server.port(),
            Certificates.readCertificates(Files.readString(c.store().cacert())),
            Certificates.readCertificates(Files.readString(ssl.hostcert())).get(0),
            Keys.readKeyPair(Files.readString(ssl.hostprivkey())).getPrivate(),
            c.certname());
    String name = "exercise-" + Long.toHexString(System.nanoTime()) + ".voxca";
    KeyPair key = Keys.rsa(2048);
    if (!server.awaitReady(java.time.Duration.ofMinutes(5))) {
      throw new IllegalStateException("self-exercise: the CA did not become ready");
    }
    expect(200, client.simpleStatus());
    expect(200, client.certificate("ca"));
    expect(200, client.crl());
    expect(200, client.submitCsr(name, Pem.encode(CsrBuilder.build(name, key, List.of()))));
    expect(200, client.statuses(null));
  }

  private static void expect(int status, PuppetCaClient.Reply r) {
    if (r.status() != status) {
      throw new IllegalStateException(
          "self-exercise: expected " + status + ", got " + r.status() + ": " + r.body());
    }
  }
}
