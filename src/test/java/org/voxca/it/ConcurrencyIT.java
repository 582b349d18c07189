package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.pki.Certificates;
import org.voxca.store.puppetdir.CaPaths;
import org.voxca.store.puppetdir.ConsistencyCheck;
import org.voxca.testing.TestClient;
import org.voxca.testing.TestPki;
import org.voxca.testing.TestSeed;
import org.voxca.testing.TestServer;

/**
 * 64 clients submitting and 8 revoking at once: unique serials, inventory and CRL agree, valid
 * PEMs.
 */
@ExtendWith(TestSeed.class)
class ConcurrencyIT {
  @TempDir Path dir;

  @Test
  void sixtyFourSubmittersAndEightRevokers() throws Exception {
    try (TestServer server = TestServer.builder(dir).autosign("true").start()) {
      Set<String> signedNames = ConcurrentHashMap.newKeySet();
      Set<BigInteger> revokedAck = ConcurrentHashMap.newKeySet();
      CountDownLatch submitters = new CountDownLatch(64);
      ExecutorService pool = Executors.newFixedThreadPool(72);
      List<Future<?>> fs = new ArrayList<>();
      for (int c = 0; c < 64; c++) {
        int client = c;
        fs.add(
            pool.submit(
                () -> {
                  TestClient anon = server.anonymous();
                  for (int i = 0; i < 8; i++) {
                    String name = "c" + client + "-" + i + ".test";
                    if (anon.put(
                                    "/puppet-ca/v1/certificate_request/" + name,
                                    TestPki.csr(name).pem())
                                .statusCode()
                            == 200
                        && anon.get("/puppet-ca/v1/certificate/" + name).statusCode() == 200) {
                      signedNames.add(name);
                    }
                  }
                  submitters.countDown();
                }));
      }
      for (int r = 0; r < 8; r++) {
        Random rnd = TestSeed.random(r);
        fs.add(
            pool.submit(
                () -> {
                  TestClient admin = server.admin();
                  TestClient reader = server.anonymous();
                  while (submitters.getCount() > 0) {
                    List<String> names = new ArrayList<>(signedNames);
                    if (names.isEmpty()) {
                      Thread.sleep(20);
                      continue;
                    }
                    String name = names.get(rnd.nextInt(names.size()));
                    var cert = reader.get("/puppet-ca/v1/certificate/" + name);
                    BigInteger serial =
                        Certificates.readCertificates(cert.body()).get(0).getSerialNumber();
                    if (admin
                            .put(
                                "/puppet-ca/v1/certificate_status/" + name,
                                "{\"desired_state\":\"revoked\"}")
                            .statusCode()
                        == 204) {
                      revokedAck.add(serial);
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
      pool.shutdown();
      assertThat(signedNames).hasSize(64 * 8);

      List<String> lines = Files.readAllLines(server.config().store().inventory());
      List<BigInteger> serials =
          lines.stream().map(l -> new BigInteger(l.split(" ")[0].substring(2), 16)).toList();
      // the CA and the server's RSA and ECDSA certificates, then every agent
      assertThat(serials).doesNotHaveDuplicates().hasSize(64 * 8 + 3);
      Set<BigInteger> fromFiles = new HashSet<>();
      for (String name : signedNames) {
        X509Certificate c =
            Certificates.readCertificates(
                    Files.readString(server.config().store().signeddir().resolve(name + ".pem")))
                .get(0);
        c.verify(server.issuer().certificate().getPublicKey());
        fromFiles.add(c.getSerialNumber());
      }
      assertThat(serials).containsAll(fromFiles);
      X509CRL crl = Certificates.readCrls(Files.readString(server.config().store().cacrl())).get(0);
      crl.verify(server.issuer().certificate().getPublicKey());
      assertThat(revokedAck).isNotEmpty();
      assertThat(crl.getRevokedCertificates()).hasSize(revokedAck.size());
      revokedAck.forEach(s -> assertThat(crl.getRevokedCertificate(s)).isNotNull());
      assertThat(serials).containsAll(revokedAck);
      assertThat(new BigInteger(Files.readString(server.config().store().serial()), 16))
          .isEqualTo(serials.stream().max(BigInteger::compareTo).orElseThrow().add(BigInteger.ONE));
      assertThat(ConsistencyCheck.run(CaPaths.under(server.cadir()), false).problems()).isEmpty();
    }
  }
}
