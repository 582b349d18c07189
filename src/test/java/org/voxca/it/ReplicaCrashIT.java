package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.pki.Certificates;
import org.voxca.testing.ServerProcess;
import org.voxca.testing.TestClient;
import org.voxca.testing.TestDatabase;
import org.voxca.testing.TestPki;
import org.voxca.testing.TestSeed;
import org.voxca.testing.TestServer;

/**
 * Replica B, a real process, killed with SIGKILL at random instants while agents sign through it
 * and through replica A (20 kills in CI, {@code -Dvoxca.crash.kills=N}): every certificate a client
 * received is in the database, no serial is issued twice, no certificate row lacks its inventory
 * row, and A keeps serving throughout.
 */
@ExtendWith(TestSeed.class)
class ReplicaCrashIT {
  private static final String CA = "/puppet-ca/v1/";
  @TempDir Path dir;
  final Map<BigInteger, String> received = new ConcurrentHashMap<>();
  final AtomicInteger names = new AtomicInteger();

  @Test
  void killingAReplicaLosesNothingItAcknowledged() throws Exception {
    int kills =
        Integer.getInteger("voxca.crash.kills", "true".equals(System.getenv("CI")) ? 20 : 5);
    Random timing = TestSeed.random(0);
    try (TestDatabase db = TestDatabase.create();
        TestServer a =
            TestServer.builder(dir.resolve("a"))
                .autosign("true")
                .hocon(db.hocon(dir.resolve("a")))
                .start()) {
      Path b = dir.resolve("b");
      Path cadir = Files.createDirectories(b.resolve("ca"));
      Files.copy(a.cadir().resolve("ca_key.pem"), cadir.resolve("ca_key.pem"));
      Path conf = Files.writeString(b.resolve("voxca.conf"), db.hocon(b));
      for (int k = 0; k < kills; k++) {
        int port = ServerProcess.freePort();
        Process server =
            ServerProcess.start(
                port,
                "replica-b.test",
                b.resolve("server.log"),
                "--confdir",
                b.resolve("puppet").toString(),
                "--cadir",
                cadir.toString(),
                "--config",
                conf.toString());
        try {
          TestClient onB = awaitServing(server, port, a, b);
          TestClient onA = a.anonymous();
          ServerProcess.killDuringLoad(
              server,
              timing,
              List.of(stop -> load(onB, stop), stop -> load(onB, stop), stop -> load(onA, stop)));
        } finally {
          server.destroyForcibly();
        }
        verify(db, k);
      }
      System.out.printf(
          "[replica crash] %d kills, %d certificates acknowledged%n", kills, received.size());
      assertThat(received.size()).as("clients got certificates between kills").isGreaterThan(kills);
    }
  }

  private static TestClient awaitServing(Process server, int port, TestServer a, Path b)
      throws Exception {
    long deadline = System.currentTimeMillis() + 60_000;
    TestClient c = new TestClient(port, a.caBundle(), null, null);
    while (System.currentTimeMillis() < deadline) {
      if (!server.isAlive()) {
        throw new AssertionError("replica B exited: " + Files.readString(b.resolve("server.log")));
      }
      try {
        if (c.get("/status/v1/simple").statusCode() == 200) {
          return c;
        }
      } catch (RuntimeException e) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError("replica B did not start");
  }

  /** Submits CSRs (autosigned) and fetches the certificates until stopped or the server dies. */
  private void load(TestClient c, AtomicBoolean stop) {
    while (!stop.get()) {
      String name = "n" + names.incrementAndGet() + ".crash.test";
      try {
        HttpResponse<String> put =
            c.put(CA + "certificate_request/" + name, TestPki.csr(name).pem());
        if (put.statusCode() != 200) {
          continue;
        }
        HttpResponse<String> cert = c.get(CA + "certificate/" + name);
        if (cert.statusCode() == 200) {
          received.put(Certificates.readCertificates(cert.body()).get(0).getSerialNumber(), name);
        }
      } catch (RuntimeException e) {
        return; // the replica died under us
      }
    }
  }

  private void verify(TestDatabase db, int k) throws Exception {
    try (Connection c = db.connect()) {
      for (Map.Entry<BigInteger, String> e : received.entrySet()) {
        try (var ps = c.prepareStatement("SELECT subject FROM inventory WHERE serial = ?")) {
          ps.setBigDecimal(1, new java.math.BigDecimal(e.getKey()));
          try (ResultSet rs = ps.executeQuery()) {
            assertThat(rs.next())
                .as("kill %d: serial %s of %s in the inventory", k, e.getKey(), e.getValue())
                .isTrue();
            assertThat(rs.getString(1)).isEqualTo("/CN=" + e.getValue());
          }
        }
      }
      try (ResultSet rs =
          c.createStatement()
              .executeQuery(
                  "SELECT (SELECT count(*) FROM certificates c WHERE NOT EXISTS (SELECT 1 FROM inventory i"
                      + " WHERE i.serial = c.serial)), (SELECT count(*) - count(DISTINCT serial) FROM"
                      + " inventory)")) {
        rs.next();
        assertThat(rs.getInt(1)).as("kill %d: certificates without inventory", k).isZero();
        assertThat(rs.getInt(2)).as("kill %d: serials issued twice", k).isZero();
      }
    }
  }
}
