package org.voxca.store.puppetdir;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.cert.X509Certificate;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.ca.CaLifecycle;
import org.voxca.ca.CaSettings;
import org.voxca.files.AtomicFiles;
import org.voxca.pki.Issuer;
import org.voxca.pki.Pem;
import org.voxca.testing.TestPki;

class ConsistencyCheckTest {
  @TempDir Path dir;

  @Test
  void findsAndRepairsWhatACrashLeaves() throws Exception {
    CaPaths paths = CaPaths.under(dir);
    try (PuppetCaDirectory store = new PuppetCaDirectory(paths)) {
      Issuer issuer =
          CaLifecycle.initializeOrAdopt(
              store, CaSettings.defaults("x.test").withKeyLength(2048), Clock.systemUTC());
      store.ensureDirectories();
      assertThat(ConsistencyCheck.run(paths, false).clean()).isTrue();

      // a certificate another tool wrote (voxca appends the inventory first): signed file, no
      // inventory line, serial file behind
      X509Certificate c =
          TestPki.issue(issuer, "late.test", TestPki.ecKey(), BigInteger.valueOf(0x40), false);
      Files.writeString(paths.signeddir().resolve("late.test.pem"), Pem.encode(c));
      Files.writeString(
          paths.signeddir().resolve(".late.test.pem.1234" + AtomicFiles.TEMP_SUFFIX), "half");
      Files.writeString(
          paths.inventory(),
          "0x0041 2026-01-01T0",
          StandardCharsets.UTF_8,
          StandardOpenOption.APPEND);

      ConsistencyCheck.Report quick = ConsistencyCheck.run(paths, false);
      assertThat(quick.problems())
          .as("the start-up check does not read signed/")
          .hasSize(1)
          .anyMatch(p -> p.startsWith("torn last line"));

      ConsistencyCheck.Report found = ConsistencyCheck.run(paths, false, true);
      assertThat(found.problems())
          .hasSize(4)
          .anyMatch(p -> p.startsWith("stray temp file"))
          .anyMatch(p -> p.startsWith("torn last line"))
          .anyMatch(p -> p.contains("missing from the inventory"))
          .anyMatch(p -> p.startsWith("the serial file"));
      assertThat(found.repairs()).isEmpty();

      ConsistencyCheck.Report repaired = ConsistencyCheck.run(paths, true, true);
      assertThat(repaired.repairs()).hasSize(4);
      assertThat(ConsistencyCheck.run(paths, false, true).clean()).isTrue();
      assertThat(Files.readString(paths.inventory()))
          .endsWith("/CN=late.test\n")
          .doesNotContain("2026-01-01T0\n");
      assertThat(Files.readString(paths.serial())).isEqualTo("0041");
      assertThat(store.records().allocateSerial()).isEqualTo(BigInteger.valueOf(0x41));
    }
  }

  @Test
  void theIndexScanRemovesTempFilesOfAnotherProcessOnly() throws Exception {
    CaPaths paths = CaPaths.under(dir);
    try (PuppetCaDirectory store = new PuppetCaDirectory(paths)) {
      CaLifecycle.initializeOrAdopt(
          store, CaSettings.defaults("x.test").withKeyLength(2048), Clock.systemUTC());
      store.ensureDirectories();
      Path crashed =
          Files.writeString(
              paths.signeddir().resolve(".a.test.pem.1f2e-99" + AtomicFiles.TEMP_SUFFIX), "half");
      Path ours =
          Files.writeString(
              paths
                  .signeddir()
                  .resolve(".b.test.pem." + AtomicFiles.PROCESS + "-77" + AtomicFiles.TEMP_SUFFIX),
              "in flight");
      store.startIndexing().join();
      assertThat(crashed).doesNotExist();
      assertThat(ours).exists();
    }
  }
}
