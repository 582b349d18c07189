package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.ca.CaLifecycle;
import org.voxca.ca.CaSettings;
import org.voxca.ca.DefaultCertificateAuthority;
import org.voxca.ca.ManagedCa;
import org.voxca.ca.autosign.AutosignPolicy;
import org.voxca.ca.autosign.TokenSpec;
import org.voxca.pki.Csr;
import org.voxca.pki.Issuer;
import org.voxca.pki.Pem;
import org.voxca.store.Replicated;
import org.voxca.store.puppetdir.CaPaths;
import org.voxca.store.puppetdir.ConsistencyCheck;
import org.voxca.store.puppetdir.PuppetCaDirectory;
import org.voxca.testing.CliRunner;
import org.voxca.testing.TestDatabase;
import org.voxca.testing.TestPki;
import org.voxca.testing.TestServer;

/**
 * Nobody is locked in: a Puppet CA directory of 1,000 certificates (renewals, revocations, pending
 * CSRs, infrastructure nodes) goes into an empty database with {@code voxca ca migrate --to-store},
 * a server serves it from there, and {@code voxca ca export} writes it back as a directory whose
 * every file is the original's, byte for byte.
 */
class StoreMigrationIT {
  private static final int NODES = 1000;
  @TempDir Path root;

  @Test
  void directoryToDatabaseAndBackKeepsEverything() throws Exception {
    Path cadir = root.resolve("puppetserver/ca");
    writeCa(cadir);
    try (TestDatabase db = TestDatabase.create()) {
      List<String> store =
          List.of(
              "--store-user",
              TestDatabase.USER,
              "--store-password-file",
              db.passwordFile(root).toString());
      CliRunner.Run in = CliRunner.ca(root, store, "migrate", "--to-store", db.url);
      assertThat(in.code()).as(in.err()).isZero();
      assertThat(in.out())
          .contains(
              (NODES + 1 + 5)
                  + " inventory entries, "
                  + NODES
                  + " certificates, 5 pending CSRs, 2 enrolment tokens");
      CliRunner.Run again = CliRunner.ca(root, store, "migrate", "--to-store", db.url);
      assertThat(again.code()).isEqualTo(1);
      assertThat(again.err()).contains("already holds a CA");

      Path out = root.resolve("exported");
      CliRunner.Run back =
          CliRunner.ca(root, store, "export", "--to", out.toString(), "--from-store", db.url);
      assertThat(back.code()).as(back.err()).isZero();
      CliRunner.Run overwrite =
          CliRunner.ca(root, store, "export", "--to", out.toString(), "--from-store", db.url);
      assertThat(overwrite.code()).isEqualTo(1);
      assertThat(overwrite.err()).contains("is not empty");
      CliRunner.Run noStore =
          CliRunner.ca(root, List.of(), "export", "--to", root.resolve("x").toString());
      assertThat(noStore.code()).isEqualTo(1);
      assertThat(noStore.err()).contains("no database");
      for (String f : List.of("ca_crt.pem", "ca_crl.pem", "ca_pub.pem", "ca_key.pem", "serial")) {
        assertThat(out.resolve(f)).as(f).hasSameBinaryContentAs(cadir.resolve(f));
      }
      assertThat(out.resolve("inventory.txt"))
          .hasSameBinaryContentAs(cadir.resolve("inventory.txt"));
      assertThat(new HashSet<>(Files.readAllLines(out.resolve("infra_inventory.txt"))))
          .containsExactlyInAnyOrder("node1.mig.test", "node2.mig.test");
      sameFiles(cadir.resolve("requests"), out.resolve("requests"));
      try (Stream<Path> signed = Files.list(cadir.resolve("signed"))) {
        for (Path p : signed.toList()) {
          assertThat(out.resolve("signed").resolve(p.getFileName())).hasSameBinaryContentAs(p);
        }
      }
      assertThat(ConsistencyCheck.run(CaPaths.under(out), false, true).problems()).isEmpty();
      assertThat(enrolment(out))
          .as("tokens with their uses, and claims, went to the database and back")
          .hasSize(3)
          .containsExactlyElementsOf(enrolment(cadir))
          .anyMatch(t -> t.contains("certname=used.mig.test") && t.contains("used=1"))
          .contains("autosign-gem:" + GEM_UUID);
      try (PuppetCaDirectory adopted = new PuppetCaDirectory(CaPaths.under(out))) {
        Issuer issuer = CaLifecycle.initializeOrAdopt(adopted, settings(), Clock.systemUTC());
        assertThat(issuer.certificate().getSubjectX500Principal().getName())
            .isEqualTo("CN=Puppet CA: mig.test");
      }
      // and a server serves the CA from the database
      try (TestServer s = TestServer.builder(root).hocon(db.hocon(root)).start()) {
        assertThat(s.anonymous().get("/puppet-ca/v1/certificate/node7.mig.test").statusCode())
            .isEqualTo(200);
        assertThat(s.admin().get("/puppet-ca/v1/certificate_status/node3.mig.test").body())
            .contains("\"state\":\"revoked\"");
        assertThat(s.admin().get("/puppet-ca/v1/certificate_status/pending2.mig.test").body())
            .contains("\"state\":\"requested\"");
      }
    }
  }

  private static CaSettings settings() {
    return CaSettings.defaults("mig.test").withKeyLength(2048);
  }

  /** A CA directory as Puppet Server would leave it, written through the directory store. */
  private static void writeCa(Path cadir) throws Exception {
    try (PuppetCaDirectory store = new PuppetCaDirectory(CaPaths.under(cadir))) {
      Issuer issuer = CaLifecycle.initializeOrAdopt(store, settings(), Clock.systemUTC());
      store.ensureDirectories();
      KeyPair key = TestPki.ecKey();
      for (int i = 0; i < NODES; i++) {
        String name = "node" + i + ".mig.test";
        X509Certificate c =
            TestPki.issue(issuer, name, key, store.records().allocateSerial(), false);
        store.records().saveCertificate(name, c, Pem.encode(c).getBytes(StandardCharsets.US_ASCII));
      }
      for (int i = 0; i < 5; i++) { // renewed: superseded inventory entries
        String name = "node" + (10 + i) + ".mig.test";
        X509Certificate c =
            TestPki.issue(issuer, name, key, store.records().allocateSerial(), false);
        store.records().saveCertificate(name, c, Pem.encode(c).getBytes(StandardCharsets.US_ASCII));
      }
      for (int i = 0; i < 5; i++) {
        String name = "pending" + i + ".mig.test";
        store.records().saveCsr(name, TestPki.csr(name).pem().getBytes(StandardCharsets.US_ASCII));
      }
      Files.writeString(cadir.resolve("infra_inventory.txt"), "node2.mig.test\nnode1.mig.test\n");
      store.startIndexing().join();
      ManagedCa ca =
          new DefaultCertificateAuthority(
              store,
              Replicated.SINGLE_PROCESS,
              issuer,
              settings(),
              AutosignPolicy.NEVER,
              Clock.systemUTC());
      for (int i = 3; i < 13; i++) {
        ca.revoke("node" + i + ".mig.test");
      }
      // enrolment: a used token, a fresh one, a claimed one-time key
      String used =
          ca.tokens()
              .create(new TokenSpec("used.mig.test", null, Duration.ofHours(1), 1, Map.of()))
              .secret();
      ca.tokens().create(new TokenSpec(null, "*.mig.test", Duration.ofHours(1), 3, Map.of()));
      Csr csr = Csr.fromPem(TestPki.csr("used.mig.test").challengePassword(used).pem());
      assertThat(ca.tokens().decide("used.mig.test", csr, false).sign()).isTrue();
      store.enrolment().claimOnce("autosign-gem:" + GEM_UUID, Instant.now().plusSeconds(3600));
    }
  }

  private static final String GEM_UUID = "0f8fad5b-d9cb-469f-a165-70867728950e";

  /** The enrolment records of a directory: its tokens as listed, and its claimed keys. */
  private static List<String> enrolment(Path cadir) {
    try (PuppetCaDirectory d = new PuppetCaDirectory(CaPaths.under(cadir))) {
      List<String> out = new java.util.ArrayList<>();
      d.enrolment().tokens().forEach(t -> out.add(t.toText()));
      out.addAll(d.enrolment().claims().keySet());
      return out;
    }
  }

  private static void sameFiles(Path a, Path b) throws Exception {
    try (Stream<Path> files = Files.list(a)) {
      List<Path> all = files.toList();
      assertThat(all).hasSize(5);
      for (Path p : all) {
        assertThat(b.resolve(p.getFileName())).hasSameBinaryContentAs(p);
      }
    }
  }
}
