package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.pki.Certificates;
import org.voxca.store.puppetdir.CaPaths;
import org.voxca.store.puppetdir.ConsistencyCheck;
import org.voxca.testing.CliRunner;
import org.voxca.testing.TestDatabase;
import org.voxca.testing.TestPki;
import org.voxca.testing.TestServer;

/**
 * {@code voxca { serials: random }}: 128-bit random serials, unique, in Puppet's formats — in the
 * CA directory and in the database.
 */
class RandomSerialsIT {
  @TempDir Path dir;

  @Test
  void randomSerialsAreLongUniqueAndRecorded() throws Exception {
    try (TestServer s =
        TestServer.builder(dir).autosign("true").hocon("voxca { serials: random }").start()) {
      String serialFile = Files.readString(s.config().store().serial());
      List<BigInteger> serials = issue(s, 24);
      assertThat(serials)
          .doesNotHaveDuplicates()
          .allMatch(x -> x.bitLength() >= 127 && x.bitLength() <= 128);
      String inventory = Files.readString(s.config().store().inventory());
      serials.forEach(
          x -> assertThat(inventory).contains("0x" + x.toString(16).toUpperCase() + " "));
      assertThat(Files.readString(s.config().store().serial()))
          .as("the sequential counter is left alone")
          .isEqualTo(serialFile);
      assertThat(ConsistencyCheck.run(CaPaths.under(s.cadir()), false).problems()).isEmpty();
    }
  }

  @Test
  void randomSerialsOnTheDatabase() throws Exception {
    try (TestDatabase db = TestDatabase.create();
        TestServer s =
            TestServer.builder(dir)
                .autosign("true")
                .hocon(db.hocon(dir) + "voxca { serials: random }\n")
                .start()) {
      List<BigInteger> serials = issue(s, 24);
      assertThat(serials)
          .doesNotHaveDuplicates()
          .allMatch(x -> x.bitLength() >= 127 && x.bitLength() <= 128);
      try (var c = db.connect();
          var rs = c.createStatement().executeQuery("SELECT serial FROM inventory")) {
        List<BigInteger> inventory = new java.util.ArrayList<>();
        while (rs.next()) {
          inventory.add(rs.getBigDecimal(1).toBigIntegerExact());
        }
        assertThat(inventory).containsAll(serials);
      }
      CliRunner.Run check =
          CliRunner.ca(dir, List.of("--config", dir.resolve("voxca.conf").toString()), "check");
      assertThat(check.code()).as(check.out()).isZero();
    }
  }

  private static List<BigInteger> issue(TestServer s, int n) {
    return IntStream.range(0, n)
        .mapToObj(
            i ->
                CompletableFuture.supplyAsync(
                    () -> {
                      String name = "rnd" + i + ".test";
                      s.anonymous()
                          .put(
                              "/puppet-ca/v1/certificate_request/" + name, TestPki.csr(name).pem());
                      return Certificates.readCertificates(
                              s.anonymous().get("/puppet-ca/v1/certificate/" + name).body())
                          .get(0)
                          .getSerialNumber();
                    }))
        .toList()
        .stream()
        .map(CompletableFuture::join)
        .toList();
  }
}
