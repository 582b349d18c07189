package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.pki.CertBuilder;
import org.voxca.pki.Certificates;
import org.voxca.pki.Issuer;
import org.voxca.pki.Keys;
import org.voxca.pki.Pem;
import org.voxca.testing.RawTls;
import org.voxca.testing.TestClient;
import org.voxca.testing.TestPki;
import org.voxca.testing.TestServer;

/**
 * Hostile connections: slow bodies from many sockets, too many connections from one address, weak
 * TLS, forged header identities, and a hostile umask. The CA stays answerable and strict.
 */
class HostileConnectionsIT {
  @TempDir static Path dir;
  static TestServer server;
  static TestServer headers;

  @BeforeAll
  static void start() throws Exception {
    server =
        TestServer.builder(dir.resolve("slow"))
            .hocon("voxca { max-connections-per-address: 64, body-timeout: 3s }")
            .start();
    headers =
        TestServer.builder(dir.resolve("headers"))
            .hocon("authorization { allow-header-cert-info: true }")
            .start();
  }

  @AfterAll
  static void stop() {
    server.close();
    headers.close();
  }

  @Test
  void slowBodiesFromHundredsOfSocketsLeaveTheCaAnswerable() throws Exception {
    InetAddress attacker = InetAddress.getByName("127.0.0.2");
    List<RawTls> slow = new ArrayList<>();
    int refused = 0;
    for (int i = 0; i < 300; i++) {
      try {
        RawTls t = RawTls.open(server.port(), server.caBundle(), attacker);
        t.write(
            "PUT /puppet-ca/v1/certificate_request/slow"
                + i
                + ".test HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: text/plain\r\nContent-Length: 4000\r\n\r\n-");
        slow.add(t);
      } catch (IOException e) {
        refused++;
      }
    }
    Thread trickle =
        new Thread(
            () -> {
              for (int round = 0; round < 40; round++) {
                for (RawTls t : slow) {
                  try {
                    t.write("-");
                  } catch (IOException ignored) {
                    // closed by the server
                  }
                }
                try {
                  Thread.sleep(100);
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
    trickle.start();
    long worst = 0;
    TestClient agent = server.anonymous();
    for (int i = 0; i < 30; i++) {
      TestClient fresh = i % 3 == 0 ? server.anonymous() : agent;
      for (String path :
          List.of(
              "/puppet-ca/v1/certificate/ca",
              "/puppet-ca/v1/certificate_revocation_list/ca",
              "/status/v1/simple")) {
        long t0 = System.nanoTime();
        assertThat(fresh.get(path).statusCode()).isEqualTo(200);
        worst = Math.max(worst, (System.nanoTime() - t0) / 1_000_000);
      }
    }
    trickle.join();
    int timedOut = 0;
    for (RawTls t : slow) {
      if (t.readAll(2000).startsWith("HTTP/1.1 408")) {
        timedOut++;
      }
      t.close();
    }
    System.out.printf(
        "[hostile] %d slow-body sockets held (%d refused by the per-address cap);"
            + " worst GET during the attack %d ms; %d slow bodies answered 408%n",
        slow.size(), refused, worst, timedOut);
    assertThat(slow.size()).as("the per-address cap").isLessThanOrEqualTo(64);
    assertThat(refused).isGreaterThanOrEqualTo(236);
    assertThat(worst).as("worst GET latency during the attack, ms").isLessThan(3000);
    assertThat(timedOut).as("slow bodies end with 408 at the deadline").isGreaterThan(0);
    assertThat(server.config().store().csrdir().resolve("slow1.test.pem")).doesNotExist();
  }

  @Test
  void tls12OffersOnlyForwardSecretAeadSuites() throws Exception {
    assertThatThrownBy(() -> handshake("TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> handshake("TLSv1.2", "TLS_RSA_WITH_AES_128_GCM_SHA256"))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> handshake("TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"))
        .isInstanceOf(IOException.class);
    assertThat(handshake("TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"))
        .isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384");
    assertThat(handshake("TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"))
        .isEqualTo("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
    assertThat(handshake("TLSv1.3", "TLS_AES_256_GCM_SHA384")).isEqualTo("TLS_AES_256_GCM_SHA384");
  }

  private static String handshake(String protocol, String suite) throws IOException {
    try (SSLSocket s =
        (SSLSocket)
            TestClient.sslContext(server.caBundle(), null, null)
                .getSocketFactory()
                .createSocket("127.0.0.1", server.port())) {
      s.setEnabledProtocols(new String[] {protocol});
      s.setEnabledCipherSuites(new String[] {suite});
      s.startHandshake();
      return s.getSession().getCipherSuite();
    }
  }

  @Test
  void headerIdentityNeedsACertificateThisCaIssuedMatchingTheDn() throws Exception {
    String path = "/puppet-ca/v1/certificate_statuses/any";
    TestClient anon = headers.anonymous();
    X509Certificate admin =
        Certificates.readCertificates(Files.readString(headers.config().ssl().hostcert())).get(0);
    assertThat(anon.get(path, id("CN=voxca.test", admin)).statusCode()).isEqualTo(200);

    KeyPair k = Keys.rsa(2048);
    X509Certificate selfCa =
        CertBuilder.selfSignedCa(
            "Puppet CA: voxca.test",
            k,
            BigInteger.ONE,
            Instant.now().minusSeconds(60),
            Instant.now().plusSeconds(3600));
    X509Certificate forged =
        TestPki.issue(
            new Issuer(selfCa, k.getPrivate(), List.of(selfCa)),
            "voxca.test",
            TestPki.ecKey(),
            BigInteger.TEN,
            true);
    assertThat(anon.get(path, id("CN=voxca.test", forged)).statusCode())
        .as("a pp_cli_auth certificate this CA never issued")
        .isEqualTo(403);
    assertThat(anon.get(path, id("CN=someone.test", admin)).statusCode())
        .as("DN and certificate disagree")
        .isEqualTo(403);
  }

  private static String[] id(String dn, X509Certificate cert) {
    String enc = URLEncoder.encode(Pem.encode(cert), StandardCharsets.UTF_8).replace("+", "%20");
    return new String[] {"X-Client-Verify", "SUCCESS", "X-Client-DN", dn, "X-Client-Cert", enc};
  }

  @Test
  void modesNeverDependOnTheUmask() throws Exception {
    Path root = dir.resolve("umask");
    Path cadir = root.resolve("deep/er/ca");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cmd =
        "umask 000 && exec '"
            + java
            + "' -cp '"
            + System.getProperty("java.class.path")
            + "' org.voxca.Main ca setup --confdir '"
            + root.resolve("puppet")
            + "' --cadir '"
            + cadir
            + "' --server-certname umask.test --setting keylength=2048";
    Process p = new ProcessBuilder("sh", "-c", cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    List<String> open = new ArrayList<>();
    try (Stream<Path> all = Files.walk(root)) {
      for (Path f : all.toList()) {
        if (Files.getPosixFilePermissions(f).contains(PosixFilePermission.OTHERS_WRITE)) {
          open.add(f + " " + PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        }
      }
    }
    assertThat(open).as("world-writable under umask 000").isEmpty();
    assertThat(mode(cadir.resolve(".voxca.lock"))).isEqualTo("rw-------");
    assertThat(mode(root.resolve("deep"))).isEqualTo("rwxr-x---");
    assertThat(mode(cadir.resolve("ca_key.pem"))).isEqualTo("rw-r-----");
  }

  private static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }
}
