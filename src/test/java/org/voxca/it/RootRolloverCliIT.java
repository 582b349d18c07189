package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.pki.Certificates;
import org.voxca.pki.CrlBuilder;
import org.voxca.pki.Issuer;
import org.voxca.pki.Keys;
import org.voxca.pki.Pem;
import org.voxca.testing.CliRunner;
import org.voxca.testing.RawTls;
import org.voxca.testing.TestServer;

/**
 * {@code voxca ca rollover prepare --root} on a two-level CA's directory: a root roll cut short by
 * a crash in prepare, abort or finish is completed at the server's start, and the next root's CRL
 * is re-signed by the next root's own key.
 */
class RootRolloverCliIT {
  private static final String TWO_LEVEL = "voxca { ca-chain: two-level }";

  @TempDir Path dir;

  /** A fresh two-level CA directory under {@code root}, the server stopped; its cadir. */
  private static Path twoLevelCa(Path root) throws Exception {
    try (TestServer server = TestServer.builder(root).hocon(TWO_LEVEL).start()) {
      return server.cadir();
    }
  }

  @Test
  void aRootRollCutShortByACrashInPrepareAbortOrFinishIsCompletedAtStart() throws Exception {
    Path root = dir.resolve("crashed-root-roll");
    Path cadir = twoLevelCa(root);
    Path bundleFile = cadir.resolve("ca_crt.pem");
    Path crlFile = cadir.resolve("ca_crl.pem");
    String bundleBefore = Files.readString(bundleFile);
    String crlBefore = Files.readString(crlFile);
    String rootKeyBefore = Files.readString(cadir.resolve("root_key.pem"));

    CliRunner.Run prepare = CliRunner.ca(root, List.of(), "rollover", "prepare", "--root");
    assertThat(prepare.code()).as(prepare.out() + prepare.err()).isZero();
    assertThat(prepare.out()).contains("Next root:");
    assertThat(cadir.resolve("rollover/next_root_key.pem")).exists();
    // a crash after the record, before the bundle and CRLs: the server completes the prepare
    Files.writeString(bundleFile, bundleBefore);
    Files.writeString(crlFile, crlBefore);
    try (TestServer server = TestServer.builder(root).start()) {
      assertThat(server.caBundle()).hasSize(6);
      assertThat(server.crlChain()).hasSize(4);
    }
    CliRunner.Run check = CliRunner.ca(root, List.of(), "check");
    assertThat(check.code()).as(check.out() + check.err()).isZero();
    // a crash during the abort: the server finishes it, both next keys gone
    Path stage = cadir.resolve("rollover/stage");
    Files.writeString(stage, Files.readString(stage).replace("prepared", "aborting"));
    try (TestServer server = TestServer.builder(root).start()) {
      assertThat(server.caBundle()).hasSize(2);
    }
    assertThat(Files.readString(bundleFile)).isEqualTo(bundleBefore);
    assertThat(Certificates.readCrls(Files.readString(crlFile))).hasSize(2);
    assertThat(cadir.resolve("rollover/next_root_key.pem")).doesNotExist();
    assertThat(cadir.resolve("rollover/next_key.pem")).doesNotExist();

    // again, then a crash during finish: the server completes it under the next root
    assertThat(CliRunner.ca(root, List.of(), "rollover", "prepare", "--root").code()).isZero();
    assertThat(CliRunner.ca(root, List.of(), "rollover", "activate").code()).isZero();
    List<X509Certificate> next =
        Certificates.readCertificates(Files.readString(cadir.resolve("rollover/next_crt.pem")));
    assertThat(next).hasSize(2);
    Files.writeString(stage, Files.readString(stage).replace("active", "finishing"));
    try (TestServer server = TestServer.builder(root).start()) {
      assertThat(server.caBundle()).containsExactlyElementsOf(next);
      try (RawTls tls = RawTls.open(server.port(), List.of(next.get(1)), null)) {
        assertThat(tls.peerChain()).hasSize(3).endsWith(next.get(0), next.get(1));
      }
    }
    assertThat(stage).doesNotExist();
    assertThat(Keys.readKeyPair(Files.readString(cadir.resolve("root_key.pem"))).getPublic())
        .isEqualTo(next.get(1).getPublicKey());
    assertThat(Files.readString(cadir.resolve("rollover/retired_root_key.pem")))
        .isEqualTo(rootKeyBefore);
  }

  @Test
  void theNextRootsCrlCloseToItsNextUpdateIsResignedByTheNextRootKey() throws Exception {
    Path root = dir.resolve("next-root-crl");
    Path cadir = twoLevelCa(root);
    assertThat(CliRunner.ca(root, List.of(), "rollover", "prepare", "--root").code()).isZero();
    X509Certificate nextRoot =
        Certificates.readCertificates(Files.readString(cadir.resolve("rollover/next_crt.pem")))
            .get(1);
    KeyPair key = Keys.readKeyPair(Files.readString(cadir.resolve("rollover/next_root_key.pem")));
    List<X509CRL> chain = Certificates.readCrls(Files.readString(cadir.resolve("ca_crl.pem")));
    assertThat(chain).hasSize(4);
    assertThat(chain.get(3).getIssuerX500Principal()).isEqualTo(nextRoot.getSubjectX500Principal());
    X509CRL soon =
        CrlBuilder.build(
            new Issuer(nextRoot, key.getPrivate(), List.of(nextRoot)),
            Instant.now().minus(Duration.ofDays(300)),
            Instant.now().plus(Duration.ofDays(10)),
            BigInteger.valueOf(3),
            chain.get(3),
            Map.of());
    Files.writeString(
        cadir.resolve("ca_crl.pem"), Pem.encode(chain.get(0), chain.get(1), chain.get(2), soon));
    try (TestServer server = TestServer.builder(root).start()) {
      X509CRL crl = server.crlChain().get(3);
      crl.verify(nextRoot.getPublicKey());
      assertThat(crl.getNextUpdate().toInstant()).isAfter(Instant.now().plus(Duration.ofDays(300)));
      assertThat(CrlBuilder.number(crl)).isEqualTo(BigInteger.valueOf(4));
    }
  }
}
