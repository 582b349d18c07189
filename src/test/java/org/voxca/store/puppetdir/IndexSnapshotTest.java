package org.voxca.store.puppetdir;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.store.CertificateRecord;

/** The index snapshot round-trips every field, and a truncated or foreign file reads as none. */
class IndexSnapshotTest {
  @TempDir Path dir;

  private static CertificateRecord record(String name, BigInteger serial, List<String> sans) {
    byte[] digests = new byte[116];
    Arrays.fill(digests, (byte) name.length());
    return CertificateRecord.restored(
        name, serial, 1_700_000_000L, 1_900_000_000L, digests, sans, Map.of("pp_cli_auth", "true"));
  }

  @Test
  void everyFieldComesBackAndDamageMeansNone() throws Exception {
    List<CertificateRecord> records =
        List.of(
            record("a.test", BigInteger.TWO, List.of("DNS:a.test")),
            record("b.test", new BigInteger("123456789012345678901234567890"), List.of()),
            record("c.test", BigInteger.valueOf(7), List.of("IP:10.0.0.1", "DNS:c.test", "DNS:x")));
    Path file = dir.resolve(".voxca-index");
    IndexSnapshot.write(file, 12345L, 987654321L, records);
    IndexSnapshot.Content back = IndexSnapshot.read(file).orElseThrow();
    assertThat(back.scanStartMillis()).isEqualTo(12345L);
    assertThat(back.marker()).isEqualTo(987654321L);
    assertThat(back.records()).hasSize(3);
    for (int i = 0; i < 3; i++) {
      CertificateRecord a = records.get(i);
      CertificateRecord b = back.records().get(i);
      assertThat(b.name()).isEqualTo(a.name());
      assertThat(b.serial()).isEqualTo(a.serial());
      assertThat(b.notBefore()).isEqualTo(a.notBefore());
      assertThat(b.notAfter()).isEqualTo(a.notAfter());
      assertThat(b.digests()).isEqualTo(a.digests());
      assertThat(b.subjectAltNames()).isEqualTo(a.subjectAltNames());
      assertThat(b.authorizationExtensions()).isEqualTo(a.authorizationExtensions());
    }

    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length - 3));
    assertThat(IndexSnapshot.read(file)).isEmpty();
    Files.write(file, Arrays.copyOf(bytes, bytes.length + 1));
    assertThat(IndexSnapshot.read(file)).as("trailing bytes").isEmpty();
    Files.writeString(file, "not a snapshot at all");
    assertThat(IndexSnapshot.read(file)).isEmpty();
    assertThat(IndexSnapshot.read(dir.resolve("none"))).isEmpty();
  }
}
