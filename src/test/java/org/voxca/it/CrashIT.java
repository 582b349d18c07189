package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.pki.Certificates;
import org.voxca.pki.Keys;
import org.voxca.store.puppetdir.CaPaths;
import org.voxca.store.puppetdir.ConsistencyCheck;
import org.voxca.store.puppetdir.PuppetCaDirectory;
import org.voxca.testing.ServerProcess;
import org.voxca.testing.TestClient;
import org.voxca.testing.TestPki;
import org.voxca.testing.TestSeed;

/**
 * A real voxca process killed with SIGKILL at random instants while clients sign, renew and revoke
 * (200 kills in CI, {@code -Dvoxca.crash.kills=N} to change). After every restart the CA directory
 * is consistent, every certificate a client received is in the inventory, the signed file of a name
 * is never older than what its client received, every acknowledged revocation is on the CRL, and no
 * serial was issued twice.
 */
@ExtendWith(TestSeed.class)
class CrashIT {
  @TempDir Path dir;
  final KeyPair key = TestPki.ecKey();
  final Map<BigInteger, String> received = new ConcurrentHashMap<>();
  final Map<String, X509Certificate> latest = new ConcurrentHashMap<>();
  final Set<BigInteger> acknowledgedRevocations = ConcurrentHashMap.newKeySet();
  final AtomicInteger names = new AtomicInteger();

  @Test
  void killedAtRandomTheCaDirectoryStaysConsistent() throws Exception {
    int kills =
        Integer.getInteger("voxca.crash.kills", "true".equals(System.getenv("CI")) ? 200 : 30);
    Path conf =
        Files.writeString(
            dir.resolve("voxca.conf"),
            "certificate-authority { allow-auto-renewal: true }\n"
                + "voxca { max-submissions-per-address: 0 }\n");
    CaPaths paths = CaPaths.under(dir.resolve("puppetserver/ca"));
    int acknowledged = 0;
    int repairs = 0;
    Random timing = TestSeed.random(0);
    for (int k = 0; k < kills; k++) {
      int port = ServerProcess.freePort();
      Process server =
          ServerProcess.start(
              port,
              "voxca.test",
              dir.resolve("server.log"),
              "--confdir",
              dir.resolve("puppet").toString(),
              "--config",
              conf.toString(),
              "--setting",
              "keylength=2048");
      try {
        waitUntilServing(server, port, paths);
        List<X509Certificate> ca = Certificates.readCertificates(Files.readString(paths.cacert()));
        X509Certificate adminCert =
            Certificates.readCertificates(
                    Files.readString(dir.resolve("puppet/ssl/certs/voxca.test.pem")))
                .get(0);
        var adminKey =
            Keys.readKeyPair(
                    Files.readString(dir.resolve("puppet/ssl/private_keys/voxca.test.pem")))
                .getPrivate();
        List<java.util.function.Consumer<AtomicBoolean>> loads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          Random choices = TestSeed.random(k * 8L + t + 1);
          loads.add(stop -> load(port, ca, adminCert, adminKey, stop, choices));
        }
        ServerProcess.killDuringLoad(server, timing, loads);
      } finally {
        server.destroyForcibly();
      }
      repairs += ConsistencyCheck.run(paths, true).repairs().size(); // what every start does,
      try (PuppetCaDirectory store = new PuppetCaDirectory(paths)) {
        store
            .startIndexing()
            .join(); // then the index scan, which removes signed/'s stale temp files
      }
      ConsistencyCheck.Report after = ConsistencyCheck.run(paths, false, true);
      assertThat(after.problems()).as("kill %d", k).isEmpty();
      verify(paths);
      acknowledged = received.size();
    }
    System.out.printf(
        "[crash] %d kills, %d certificates acknowledged, %d revocations acknowledged, %d repairs%n",
        kills, acknowledged, acknowledgedRevocations.size(), repairs);
    assertThat(acknowledged).as("clients got certificates between kills").isGreaterThan(kills / 10);
  }

  private void waitUntilServing(Process server, int port, CaPaths paths) throws Exception {
    long deadline = System.currentTimeMillis() + 60_000;
    while (System.currentTimeMillis() < deadline) {
      if (!server.isAlive()) {
        throw new AssertionError("server exited: " + Files.readString(dir.resolve("server.log")));
      }
      if (Files.exists(paths.cacert())
          && Files.exists(dir.resolve("puppet/ssl/certs/voxca.test.pem"))) {
        try {
          TestClient c =
              new TestClient(
                  port,
                  Certificates.readCertificates(Files.readString(paths.cacert())),
                  null,
                  null);
          if (c.get("/status/v1/simple").statusCode() == 200) {
            return;
          }
        } catch (RuntimeException e) {
          // not listening yet
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("server did not start");
  }

  private void load(
      int port,
      List<X509Certificate> ca,
      X509Certificate adminCert,
      PrivateKey adminKey,
      AtomicBoolean stop,
      Random rnd) {
    TestClient anon = new TestClient(port, ca, null, null);
    TestClient admin = new TestClient(port, ca, adminCert, adminKey);
    while (!stop.get()) {
      try {
        int op = rnd.nextInt(10);
        if (op < 6 || latest.isEmpty()) {
          String name = "n" + names.incrementAndGet() + ".crash.test";
          if (anon.put(
                      "/puppet-ca/v1/certificate_request/" + name, TestPki.csr(name).key(key).pem())
                  .statusCode()
              == 200) {
            HttpResponse<String> r = anon.get("/puppet-ca/v1/certificate/" + name);
            if (r.statusCode() == 200) {
              record(name, Certificates.readCertificates(r.body()).get(0));
            }
          }
        } else if (op < 9) {
          List<String> known = new ArrayList<>(latest.keySet());
          String name = known.get(rnd.nextInt(known.size()));
          HttpResponse<String> r =
              new TestClient(port, ca, latest.get(name), key.getPrivate())
                  .send("POST", "/puppet-ca/v1/certificate_renewal", null);
          if (r.statusCode() == 200) {
            record(name, Certificates.readCertificates(r.body()).get(0));
          }
        } else {
          List<String> known = new ArrayList<>(latest.keySet());
          String name = known.get(rnd.nextInt(known.size()));
          X509Certificate before = latest.get(name);
          if (admin
                  .put(
                      "/puppet-ca/v1/certificate_status/" + name, "{\"desired_state\":\"revoked\"}")
                  .statusCode()
              == 204) {
            acknowledgedRevocations.add(before.getSerialNumber());
          }
        }
      } catch (RuntimeException e) {
        // the server was killed mid-request: nothing was acknowledged
      }
    }
  }

  private void record(String name, X509Certificate c) {
    received.put(c.getSerialNumber(), name);
    latest.merge(
        name, c, (a, b) -> a.getSerialNumber().compareTo(b.getSerialNumber()) >= 0 ? a : b);
  }

  private void verify(CaPaths paths) throws Exception {
    List<String> lines = Files.readAllLines(paths.inventory());
    List<BigInteger> serials = new ArrayList<>();
    for (String l : lines) {
      serials.add(new BigInteger(l.split(" ")[0].substring(2), 16));
    }
    assertThat(serials).as("no serial issued twice").doesNotHaveDuplicates();
    assertThat(serials)
        .as("every received certificate is in the inventory")
        .containsAll(received.keySet());
    for (Map.Entry<String, X509Certificate> e : latest.entrySet()) {
      Path f = paths.signeddir().resolve(e.getKey() + ".pem");
      assertThat(f).exists();
      X509Certificate onDisk = Certificates.readCertificates(Files.readString(f)).get(0);
      assertThat(onDisk.getSerialNumber())
          .as(e.getKey())
          .isGreaterThanOrEqualTo(e.getValue().getSerialNumber());
    }
    X509CRL crl = Certificates.readCrls(Files.readString(paths.cacrl())).get(0);
    for (BigInteger s : acknowledgedRevocations) {
      assertThat(crl.getRevokedCertificate(s)).as("revoked serial %s", s).isNotNull();
    }
    BigInteger next = new BigInteger(Files.readString(paths.serial()).trim(), 16);
    assertThat(next)
        .isGreaterThan(serials.stream().max(BigInteger::compareTo).orElse(BigInteger.ZERO));
  }
}
