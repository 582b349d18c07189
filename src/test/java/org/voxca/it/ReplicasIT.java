package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.pki.Certificates;
import org.voxca.testing.Await;
import org.voxca.testing.TestClient;
import org.voxca.testing.TestPki;
import org.voxca.testing.TestReplicas;
import org.voxca.testing.TestServer;

/**
 * Two voxca replicas on one PostgreSQL database, the CA key copied to each: what one does, the
 * other serves — a CSR submitted on A is signed on B and fetched from A, agents bootstrap through
 * both at once with no serial twice, and a revocation on A is enforced by B's TLS within 2 s.
 */
class ReplicasIT {
  private static final String CA = "/puppet-ca/v1/";
  @TempDir static Path root;
  static TestReplicas replicas;
  static TestServer a;
  static TestServer b;

  @BeforeAll
  static void start() throws Exception {
    Path autosign = Files.createDirectories(root).resolve("autosign.conf");
    Files.writeString(autosign, "*.auto.test\n");
    replicas = TestReplicas.start(root, autosign.toString());
    a = replicas.a;
    b = replicas.b;
  }

  @AfterAll
  static void stop() {
    if (replicas != null) {
      replicas.close();
    }
  }

  @Test
  void bothServeTheSameCa() {
    assertThat(b.cadir()).isNotEqualTo(a.cadir());
    assertThat(b.anonymous().get(CA + "certificate/ca").body())
        .isEqualTo(a.anonymous().get(CA + "certificate/ca").body());
  }

  @Test
  void eachReplicasConsoleListsBothWithTheirLastHeartbeat() throws Exception {
    Await.until(
        java.time.Duration.ofSeconds(10),
        "both heartbeats",
        () -> {
          String page = a.admin().get("/console/").body();
          return page.contains(":" + a.port() + "</td>") && page.contains(":" + b.port() + "</td>");
        });
    String onB = b.admin().get("/console/").body();
    String table = onB.substring(onB.indexOf("<table id=\"replicas\">"));
    assertThat(table).contains(":" + a.port() + "</td>").contains(":" + b.port() + "</td>");
    assertThat(table.substring(0, table.indexOf("</table>")))
        .as("both alive")
        .doesNotContain("not seen since");
  }

  @Test
  void submittedOnASignedOnBFetchedFromA() {
    String csr = TestPki.csr("cross.test").pem();
    assertThat(a.anonymous().put(CA + "certificate_request/cross.test", csr).statusCode())
        .isEqualTo(200);
    assertThat(a.anonymous().get(CA + "certificate/cross.test").statusCode()).isEqualTo(404);
    HttpResponse<String> sign =
        b.admin().put(CA + "certificate_status/cross.test", "{\"desired_state\":\"signed\"}");
    assertThat(sign.statusCode()).as(sign.body()).isEqualTo(204);
    HttpResponse<String> cert = a.anonymous().get(CA + "certificate/cross.test");
    assertThat(cert.statusCode()).isEqualTo(200);
    X509Certificate c = Certificates.readCertificates(cert.body()).get(0);
    assertThat(c.getIssuerX500Principal())
        .isEqualTo(a.issuer().certificate().getSubjectX500Principal());
    assertThat(a.admin().get(CA + "certificate_status/cross.test").body()).contains("\"signed\"");
  }

  @Test
  void agentsThroughBothAtOnceGetOneSerialEach() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(16);
    List<Future<BigInteger>> fs = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      TestServer via = i % 2 == 0 ? a : b;
      String name = "herd" + i + ".auto.test";
      fs.add(
          pool.submit(
              () -> {
                TestClient anon = via.anonymous();
                HttpResponse<String> put =
                    anon.put(CA + "certificate_request/" + name, TestPki.csr(name).pem());
                assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
                // fetched from the other replica
                TestServer other = via == a ? b : a;
                HttpResponse<String> cert = other.anonymous().get(CA + "certificate/" + name);
                assertThat(cert.statusCode()).isEqualTo(200);
                return Certificates.readCertificates(cert.body()).get(0).getSerialNumber();
              }));
    }
    Set<BigInteger> serials = new HashSet<>();
    for (Future<BigInteger> f : fs) {
      assertThat(serials.add(f.get())).isTrue();
    }
    pool.shutdown();
    // listings come from each replica's index, which the other's notifications keep current
    for (TestServer s : List.of(a, b)) {
      Await.until(
          Duration.ofSeconds(2),
          "replica " + s.port() + " lists all 64",
          () -> {
            String list = s.admin().get(CA + "certificate_statuses/any?state=signed").body();
            for (int i = 0; i < 64; i++) {
              if (!list.contains("\"herd" + i + ".auto.test\"")) {
                return false;
              }
            }
            return true;
          });
    }
  }

  @Test
  void aRevocationOnAIsEnforcedByBWithinTwoSeconds() throws Exception {
    KeyPair key = TestPki.freshEcKey();
    String name = "revoked.auto.test";
    assertThat(
            a.anonymous()
                .put(CA + "certificate_request/" + name, TestPki.csr(name).key(key).pem())
                .statusCode())
        .isEqualTo(200);
    X509Certificate cert =
        Certificates.readCertificates(a.anonymous().get(CA + "certificate/" + name).body()).get(0);
    TestClient onB = b.client(cert, key.getPrivate());
    assertThat(onB.get(CA + "certificate/ca").statusCode()).isEqualTo(200);
    assertThat(
            a.admin()
                .put(CA + "certificate_status/" + name, "{\"desired_state\":\"revoked\"}")
                .statusCode())
        .isEqualTo(204);
    long t0 = System.nanoTime();
    Await.until(
        Duration.ofSeconds(2),
        "B refuses the client A revoked",
        () -> refused(b.client(cert, key.getPrivate())));
    System.out.printf(
        "revocation on A enforced by B after %d ms%n", (System.nanoTime() - t0) / 1_000_000);
  }

  @Test
  void signingOneNameOnBothAtOnceSignsItOnce() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int i = 0; i < 12; i++) {
        String name = "race" + i + ".test"; // not autosigned: pending
        assertThat(
                a.anonymous()
                    .put(CA + "certificate_request/" + name, TestPki.csr(name).pem())
                    .statusCode())
            .isEqualTo(200);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        List<Future<Integer>> both = new ArrayList<>();
        for (TestServer s : List.of(a, b)) {
          TestClient admin = s.admin();
          both.add(
              pool.submit(
                  () -> {
                    go.await();
                    return admin
                        .put(CA + "certificate_status/" + name, "{\"desired_state\":\"signed\"}")
                        .statusCode();
                  }));
        }
        go.countDown();
        List<Integer> codes = new ArrayList<>(List.of(both.get(0).get(), both.get(1).get()));
        codes.sort(null);
        assertThat(codes).as(name).containsExactly(204, 409);
        try (var c = replicas.db.connect();
            var ps = c.prepareStatement("SELECT count(*) FROM inventory WHERE subject = ?")) {
          ps.setString(1, "/CN=" + name);
          try (var rs = ps.executeQuery()) {
            rs.next();
            assertThat(rs.getInt(1)).as("certificates issued to " + name).isEqualTo(1);
          }
        }
      }
    } finally {
      pool.shutdown();
    }
  }

  static final int REVOKED = 48;

  @Test
  void revocationsOnBothAtOnceAreAllOnTheCrl() throws Exception {
    List<BigInteger> serials = new ArrayList<>();
    for (int i = 0; i < REVOKED; i++) {
      String name = "gone" + i + ".auto.test";
      assertThat(
              a.anonymous()
                  .put(CA + "certificate_request/" + name, TestPki.csr(name).pem())
                  .statusCode())
          .isEqualTo(200);
      serials.add(
          Certificates.readCertificates(a.anonymous().get(CA + "certificate/" + name).body())
              .get(0)
              .getSerialNumber());
    }
    ExecutorService pool = Executors.newFixedThreadPool(16);
    List<Future<Integer>> fs = new ArrayList<>();
    for (int i = 0; i < REVOKED; i++) {
      TestClient admin = (i % 2 == 0 ? a : b).admin();
      String name = "gone" + i + ".auto.test";
      fs.add(
          pool.submit(
              () ->
                  admin
                      .put(CA + "certificate_status/" + name, "{\"desired_state\":\"revoked\"}")
                      .statusCode()));
    }
    for (Future<Integer> f : fs) {
      assertThat(f.get()).isEqualTo(204);
    }
    pool.shutdown();
    for (TestServer s : List.of(a, b)) {
      Await.until(
          Duration.ofSeconds(3),
          "every revocation on the CRL " + s.port() + " serves",
          () -> {
            var crl =
                Certificates.readCrls(
                        s.anonymous().get(CA + "certificate_revocation_list/ca").body())
                    .get(0);
            return serials.stream().allMatch(x -> crl.getRevokedCertificate(x) != null);
          });
    }
  }

  private static boolean refused(TestClient c) {
    try {
      return c.get(CA + "certificate/ca").statusCode() == 403;
    } catch (RuntimeException e) {
      return true; // the handshake failed: refused by TLS
    }
  }
}
