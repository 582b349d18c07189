package org.voxca.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.pki.Certificates;
import org.voxca.pki.Pem;
import org.voxca.testing.CliRunner;
import org.voxca.testing.TestServer;

/**
 * A two-level CA that rolls its root too, under real clients (Debian's puppet agent 7.23, openssl):
 * an agent bootstrapped before, which never refreshes its CA bundle, keeps working through prepare
 * and activate and renews into the next generation; so do agents refreshing their CRL, or their CA
 * bundle and CRL. openssl verifies both generations against the served bundle with every CRL
 * checked, and a next-generation leaf for a client that trusts only the old root, through the
 * cross-certificate between the roots. After finish, an agent that refreshed works at once.
 */
class RootRolloverE2EIT {
  private static final String HOCON =
      "voxca { ca-chain: two-level }\ncertificate-authority { allow-auto-renewal: true }";
  @TempDir static Path dir;

  @BeforeAll
  static void tools() {
    Tools.require("puppet");
    Tools.require("openssl");
    Tools.require("curl");
  }

  private static Tools.Result ssl(
      TestServer at, Path agent, String name, String action, String... extra) throws Exception {
    List<String> cmd =
        new ArrayList<>(Tools.puppetSsl(agent, at.port(), name, action, "--waitforcert", "0"));
    cmd.addAll(List.of(extra));
    return Tools.run(120, cmd.toArray(String[]::new));
  }

  private static void ok(Tools.Result r) {
    assertThat(r.exitCode()).as(r.output()).isZero();
  }

  private static void cli(Path root, List<String> url, String... args) {
    CliRunner.Run r = CliRunner.ca(root, url, args);
    assertThat(r.code()).as(r.out() + r.err()).isZero();
  }

  /**
   * {@code openssl verify -crl_check_all} against {@code trusted}, with {@code untrusted} given.
   */
  private static String verify(Path trusted, Path crls, Path cert, Path... untrusted)
      throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "openssl",
                "verify",
                "-crl_check_all",
                "-CAfile",
                trusted.toString(),
                "-CRLfile",
                crls.toString()));
    for (Path u : untrusted) {
      cmd.addAll(List.of("-untrusted", u.toString()));
    }
    cmd.add(cert.toString());
    return Tools.run(30, cmd.toArray(String[]::new)).output();
  }

  private static Path write(String name, Object... certs) throws Exception {
    return Files.writeString(dir.resolve(name), Pem.encode(certs));
  }

  private static X509Certificate certOf(Path agent, String name) throws Exception {
    return Certificates.readCertificates(
            Files.readString(agent.resolve("ssl/certs/" + name + ".pem")))
        .get(0);
  }

  @Test
  void agentsKeepWorkingWhileTheRootRollsAndOldRootClientsVerifyTheNextGeneration()
      throws Exception {
    Path root = dir.resolve("server");
    Path fixed = dir.resolve("fixed");
    Path crlRefresh = dir.resolve("crl-refresh");
    Path refreshed = dir.resolve("refreshed");
    X509Certificate nextCa;
    X509Certificate nextRoot;
    try (TestServer at = TestServer.builder(root).autosign("true").hocon(HOCON).start()) {
      List<String> url = List.of("--server-url", "https://127.0.0.1:" + at.port());
      Path crls = at.config().store().cacrl();
      ok(ssl(at, fixed, "fixed.test", "bootstrap"));
      ok(ssl(at, crlRefresh, "crl-refresh.test", "bootstrap", "--crl_refresh_interval", "1s"));
      ok(ssl(at, refreshed, "refreshed.test", "bootstrap"));
      String oldCa = Files.readString(fixed.resolve("ssl/certs/ca.pem"));

      CliRunner.Run prepare =
          CliRunner.ca(root, url, "rollover", "prepare", "--root", "--key-type", "ec");
      assertThat(prepare.code()).as(prepare.out() + prepare.err()).isZero();
      assertThat(prepare.out()).contains("\"next_root\":{").contains("EC 384");
      List<X509Certificate> bundle = at.caBundle();
      assertThat(bundle).hasSize(6);
      X509Certificate oldRoot = bundle.get(1);
      nextCa = bundle.get(2);
      nextRoot = bundle.get(3);
      X509Certificate nextByOld = bundle.get(4);
      assertThat(nextByOld.getIssuerX500Principal()).isEqualTo(oldRoot.getSubjectX500Principal());
      Path served = write("served.pem", bundle.toArray());

      // prepared: the agent that never refreshes keeps verifying the server and downloading
      ok(ssl(at, fixed, "fixed.test", "download_cert"));
      ok(ssl(at, fixed, "fixed.test", "verify"));
      assertThat(Files.readString(fixed.resolve("ssl/certs/ca.pem"))).isEqualTo(oldCa);
      Thread.sleep(1100);
      ok(ssl(at, crlRefresh, "crl-refresh.test", "bootstrap", "--crl_refresh_interval", "1s"));
      assertThat(
              Certificates.readCrls(Files.readString(crlRefresh.resolve("ssl/crl.pem"))).stream()
                  .map(X509CRL::getIssuerX500Principal))
          .contains(nextCa.getSubjectX500Principal(), nextRoot.getSubjectX500Principal());
      Tools.fetchTrust(at.port(), refreshed, "refreshed.test");
      ok(ssl(at, refreshed, "refreshed.test", "verify"));
      assertThat(verify(served, crls, fixed.resolve("ssl/certs/fixed.test.pem"))).contains(": OK");

      // active: a fresh agent gets a next-generation certificate and verifies the server
      cli(root, url, "rollover", "activate");
      Path fresh = dir.resolve("fresh");
      ok(ssl(at, fresh, "fresh.test", "bootstrap"));
      ok(ssl(at, fresh, "fresh.test", "verify"));
      assertThat(certOf(fresh, "fresh.test").getIssuerX500Principal())
          .isEqualTo(nextCa.getSubjectX500Principal());
      Path freshCert = fresh.resolve("ssl/certs/fresh.test.pem");
      assertThat(verify(served, crls, freshCert)).contains(": OK");
      // a client that trusts only the old root: the next CA, through the cross-certificate
      Path oldRootOnly = write("old-root.pem", oldRoot);
      Path path = write("next-path.pem", nextCa, nextByOld);
      assertThat(verify(oldRootOnly, crls, freshCert, path)).contains(": OK");
      assertThat(verify(oldRootOnly, crls, freshCert)).doesNotContain(": OK");

      // every agent renews into the next generation and uses its certificate
      for (Path agent : List.of(fixed, crlRefresh, refreshed)) {
        String name = agent.getFileName() + ".test";
        Tools.renew(at.port(), agent, name);
        assertThat(certOf(agent, name).getIssuerX500Principal())
            .isEqualTo(nextCa.getSubjectX500Principal());
        ok(ssl(at, agent, name, "download_cert"));
        assertThat(verify(served, crls, agent.resolve("ssl/certs/" + name + ".pem")))
            .contains(": OK");
      }
      assertThat(Files.readString(fixed.resolve("ssl/certs/ca.pem"))).isEqualTo(oldCa);

      // a next-generation revocation: refused by the server's TLS and by openssl
      cli(root, url, "revoke", "--certname", "fresh.test");
      assertThat(verify(served, crls, freshCert)).contains("certificate revoked");
      String ca = "https://localhost:" + at.port() + "/puppet-ca/v1/certificate/ca";
      assertThat(Tools.getAs(fresh.resolve("ssl"), "fresh.test", ca).output()).isNotEqualTo("200");
      assertThat(Tools.getAs(fixed.resolve("ssl"), "fixed.test", ca).output()).isEqualTo("200");
    }

    CliRunner.Run finish = CliRunner.ca(root, List.of(), "rollover", "finish");
    assertThat(finish.code()).as(finish.out() + finish.err()).isZero();
    try (TestServer at = TestServer.builder(root).autosign("true").hocon(HOCON).start()) {
      assertThat(at.caBundle()).containsExactly(nextCa, nextRoot);
      // refreshed during the rollover: verifies the server's new chain at once
      ok(ssl(at, refreshed, "refreshed.test", "download_cert"));
      // never refreshed: works once its CA bundle and CRL are replaced
      assertThat(ssl(at, fixed, "fixed.test", "download_cert").exitCode()).isNotZero();
      Files.delete(fixed.resolve("ssl/certs/ca.pem"));
      Files.delete(fixed.resolve("ssl/crl.pem"));
      ok(ssl(at, fixed, "fixed.test", "bootstrap"));
      ok(ssl(at, fixed, "fixed.test", "download_cert"));
      Path finished = write("finished.pem", nextCa, nextRoot);
      for (Path agent : List.of(fixed, refreshed)) {
        String name = agent.getFileName() + ".test";
        assertThat(
                verify(
                    finished,
                    at.config().store().cacrl(),
                    agent.resolve("ssl/certs/" + name + ".pem")))
            .contains(": OK");
      }
    }
  }
}
