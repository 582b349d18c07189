package org.voxca.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.pki.Certificates;
import org.voxca.pki.Issuer;
import org.voxca.pki.Keys;
import org.voxca.pki.Pem;
import org.voxca.testing.CliRunner;
import org.voxca.testing.TestPki;
import org.voxca.testing.TestServer;

/**
 * A CA key rollover prepared and aborted under real clients (Debian's puppet agent 7.23 and
 * openssl): an agent bootstrapped before, which never refreshes its CA bundle, keeps working; so do
 * one that refreshes its CRL ({@code crl_refresh_interval}), one whose CA bundle and CRL are
 * downloaded anew (as Puppet 8 does), and one bootstrapped after prepare. openssl verifies leaves
 * of both generations, directly and across the cross-certificate, with every CRL checked; a
 * revocation is enforced by the server's TLS and by openssl.
 */
class CaRolloverE2EIT {
  @TempDir static Path dir;
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    Tools.require("puppet");
    Tools.require("openssl");
    Tools.require("curl");
    server =
        TestServer.builder(dir.resolve("server"))
            .autosign("true")
            .hocon("certificate-authority { allow-auto-renewal: true }")
            .start();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static Tools.Result ssl(Path agent, String name, String action, String... extra)
      throws Exception {
    List<String> cmd =
        new java.util.ArrayList<>(
            Tools.puppetSsl(agent, server.port(), name, action, "--waitforcert", "0"));
    cmd.addAll(List.of(extra));
    return Tools.run(120, cmd.toArray(String[]::new));
  }

  private static void ok(Tools.Result r) {
    assertThat(r.exitCode()).as(r.output()).isZero();
  }

  private static CliRunner.Run cli(String... args) {
    return CliRunner.ca(
        server.root, List.of("--server-url", "https://127.0.0.1:" + server.port()), args);
  }

  private static Tools.Result verify(Path bundle, Path cert, String... untrusted) throws Exception {
    List<String> cmd =
        new java.util.ArrayList<>(
            List.of(
                "openssl",
                "verify",
                "-crl_check_all",
                "-CAfile",
                bundle.toString(),
                "-CRLfile",
                server.config().store().cacrl().toString()));
    for (String u : untrusted) {
      cmd.addAll(List.of("-untrusted", u));
    }
    cmd.add(cert.toString());
    return Tools.run(30, cmd.toArray(String[]::new));
  }

  private static Path write(String name, String text) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  @Test
  void agentsOfEveryKindKeepWorkingThroughPrepareAndAbort() throws Exception {
    Path fixed = dir.resolve("fixed-agent");
    Path crlRefresh = dir.resolve("crl-refresh-agent");
    Path refreshed = dir.resolve("refreshed-agent");
    Path revoked = dir.resolve("revoked-agent");
    ok(ssl(fixed, "fixed.test", "bootstrap"));
    ok(ssl(crlRefresh, "crl-refresh.test", "bootstrap", "--crl_refresh_interval", "1s"));
    ok(ssl(refreshed, "refreshed.test", "bootstrap"));
    ok(ssl(revoked, "revoked.test", "bootstrap"));
    String oldCa = Files.readString(fixed.resolve("ssl/certs/ca.pem"));

    CliRunner.Run prepare = cli("rollover", "prepare", "--key-type", "ec", "--curve", "secp384r1");
    assertThat(prepare.code()).as(prepare.out() + prepare.err()).isZero();
    assertThat(prepare.out()).contains("\"stage\":\"prepared\"").contains("EC 384");
    String served = Files.readString(server.config().store().cacert());
    List<X509Certificate> bundle = Certificates.readCertificates(served);
    assertThat(bundle).hasSize(4);
    X509Certificate current = bundle.get(0);
    X509Certificate next = bundle.get(1);
    X509Certificate nextByCurrent = bundle.get(2);

    // never refreshes its CA bundle: keeps verifying the server and downloading
    ok(ssl(fixed, "fixed.test", "download_cert"));
    ok(ssl(fixed, "fixed.test", "verify"));
    assertThat(Files.readString(fixed.resolve("ssl/certs/ca.pem"))).isEqualTo(oldCa);
    // crl_refresh_interval: the next generation's CRL arrives beside the current one
    Thread.sleep(1100);
    ok(ssl(crlRefresh, "crl-refresh.test", "bootstrap", "--crl_refresh_interval", "1s"));
    assertThat(
            Certificates.readCrls(Files.readString(crlRefresh.resolve("ssl/crl.pem"))).stream()
                .map(c -> c.getIssuerX500Principal()))
        .contains(next.getSubjectX500Principal(), current.getSubjectX500Principal());
    ok(ssl(crlRefresh, "crl-refresh.test", "download_cert"));
    // Puppet 8's refresh: the CA bundle and CRL downloaded anew into the ssldir
    Path refreshedSsl = refreshed.resolve("ssl");
    String base = "https://localhost:" + server.port() + "/puppet-ca/v1/";
    fetchTrust(server, refreshed, "refreshed.test");
    assertThat(Files.readString(refreshedSsl.resolve("certs/ca.pem"))).isEqualTo(served);
    ok(ssl(refreshed, "refreshed.test", "download_cert"));
    ok(ssl(refreshed, "refreshed.test", "verify"));
    // bootstrapped after prepare: the two-generation bundle, a certificate of the current key
    Path fresh = dir.resolve("fresh-agent");
    ok(ssl(fresh, "fresh.test", "bootstrap"));
    assertThat(Files.readString(fresh.resolve("ssl/certs/ca.pem"))).isEqualTo(served);
    X509Certificate freshCert =
        Certificates.readCertificates(Files.readString(fresh.resolve("ssl/certs/fresh.test.pem")))
            .get(0);
    assertThat(freshCert.getIssuerX500Principal()).isEqualTo(current.getSubjectX500Principal());

    // openssl, every CRL checked: leaves of both generations against the served bundle, and a
    // next-generation leaf through the cross-certificate for a client trusting only the current CA
    Path servedFile = write("served-ca.pem", served);
    Path oldOnly = write("old-ca.pem", oldCa);
    for (Path leaf :
        List.of(
            fixed.resolve("ssl/certs/fixed.test.pem"), fresh.resolve("ssl/certs/fresh.test.pem"))) {
      assertThat(verify(servedFile, leaf).output()).as(leaf.toString()).contains(": OK");
    }
    KeyPair nextKey =
        Keys.readKeyPair(Files.readString(server.cadir().resolve("rollover/next_key.pem")));
    X509Certificate nextLeaf =
        TestPki.issue(
            new Issuer(next, nextKey.getPrivate(), List.of(next)),
            "next-generation.test",
            TestPki.ecKey(),
            BigInteger.valueOf(900_001),
            false);
    Path nextLeafFile = write("next-leaf.pem", Pem.encode(nextLeaf));
    assertThat(verify(servedFile, nextLeafFile).output()).contains(": OK");
    // the cross-certificate verifies, CRL checked, for a client that trusts only the current CA;
    // a leaf in Puppet's profile names its issuer's serial in its AKI, so it binds to the next
    // CA's self-signed certificate and does not chain through the cross-certificate
    Path cross = write("cross.pem", Pem.encode(nextByCurrent));
    assertThat(verify(oldOnly, cross).output()).contains(": OK");
    assertThat(verify(oldOnly, nextLeafFile, cross.toString()).output()).doesNotContain(": OK");

    // a revocation during the rollover: on the current CA's CRL, enforced by TLS and openssl
    CliRunner.Run revoke = cli("revoke", "--certname", "revoked.test");
    assertThat(revoke.code()).as(revoke.out() + revoke.err()).isZero();
    Path revokedCert = revoked.resolve("ssl/certs/revoked.test.pem");
    assertThat(verify(servedFile, revokedCert).output()).contains("certificate revoked");
    assertThat(
            Tools.getAs(revoked.resolve("ssl"), "revoked.test", base + "certificate/ca").output())
        .isNotEqualTo("200");
    assertThat(Tools.getAs(fixed.resolve("ssl"), "fixed.test", base + "certificate/ca").output())
        .isEqualTo("200");

    CliRunner.Run abort = cli("rollover", "abort");
    assertThat(abort.code()).as(abort.out() + abort.err()).isZero();
    assertThat(Files.readString(server.config().store().cacert())).isEqualTo(oldCa);
    ok(ssl(fixed, "fixed.test", "download_cert"));
    Thread.sleep(1100);
    ok(ssl(crlRefresh, "crl-refresh.test", "bootstrap", "--crl_refresh_interval", "1s"));
    assertThat(Certificates.readCrls(Files.readString(crlRefresh.resolve("ssl/crl.pem"))))
        .hasSize(1);
    ok(ssl(refreshed, "refreshed.test", "download_cert"));
    ok(ssl(fresh, "fresh.test", "download_cert"));
    assertThat(verify(oldOnly, fresh.resolve("ssl/certs/fresh.test.pem")).output())
        .contains(": OK");
    assertThat(verify(oldOnly, revokedCert).output()).contains("certificate revoked");
  }

  @Test
  void afterActivateNewAndRenewedCertificatesComeFromTheNextKeyAndEveryAgentKeepsWorking()
      throws Exception {
    Path fixed = dir.resolve("fixed-agent-2");
    Path crlRefresh = dir.resolve("crl-refresh-agent-2");
    ok(ssl(fixed, "fixed2.test", "bootstrap"));
    ok(ssl(crlRefresh, "crl-refresh2.test", "bootstrap", "--crl_refresh_interval", "1s"));
    String oldCa = Files.readString(fixed.resolve("ssl/certs/ca.pem"));

    CliRunner.Run prepare = cli("rollover", "prepare");
    assertThat(prepare.code()).as(prepare.out() + prepare.err()).isZero();
    CliRunner.Run activate = cli("rollover", "activate");
    assertThat(activate.code()).as(activate.out() + activate.err()).isZero();
    assertThat(activate.out()).contains("\"stage\":\"active\"").contains("\"signing\":\"next\"");
    String served = Files.readString(server.config().store().cacert());
    X509Certificate next = Certificates.readCertificates(served).get(1);
    Path servedFile = write("served-ca-2.pem", served);

    // bootstrapped after activate: a next-generation certificate, and it verifies the server
    Path fresh = dir.resolve("fresh-agent-2");
    ok(ssl(fresh, "fresh2.test", "bootstrap"));
    Path freshCert = fresh.resolve("ssl/certs/fresh2.test.pem");
    assertThat(
            Certificates.readCertificates(Files.readString(freshCert))
                .get(0)
                .getIssuerX500Principal())
        .isEqualTo(next.getSubjectX500Principal());
    ok(ssl(fresh, "fresh2.test", "download_cert"));
    assertThat(verify(servedFile, freshCert).output()).contains(": OK");

    // the agent that never refreshes its CA bundle renews into the next generation and uses it
    Path fixedSsl = fixed.resolve("ssl");
    Path renewedFile = dir.resolve("renewed-fixed2.pem");
    Tools.Result renew =
        Tools.curlAs(
            fixedSsl,
            "fixed2.test",
            "-X",
            "POST",
            "-o",
            renewedFile.toString(),
            "-w",
            "%{http_code}",
            "https://localhost:" + server.port() + "/puppet-ca/v1/certificate_renewal");
    assertThat(renew.output()).isEqualTo("200");
    X509Certificate renewed = Certificates.readCertificates(Files.readString(renewedFile)).get(0);
    assertThat(renewed.getIssuerX500Principal()).isEqualTo(next.getSubjectX500Principal());
    Files.copy(
        renewedFile,
        fixedSsl.resolve("certs/fixed2.test.pem"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    ok(ssl(fixed, "fixed2.test", "download_cert"));
    ok(ssl(fixed, "fixed2.test", "verify"));
    assertThat(Files.readString(fixedSsl.resolve("certs/ca.pem"))).isEqualTo(oldCa);
    assertThat(Files.readString(fixedSsl.resolve("certs/fixed2.test.pem")))
        .isEqualTo(Files.readString(renewedFile));
    assertThat(verify(servedFile, fixedSsl.resolve("certs/fixed2.test.pem")).output())
        .contains(": OK");
    // the agent refreshing its CRL keeps going, with the next generation's CRL
    Thread.sleep(1100);
    ok(ssl(crlRefresh, "crl-refresh2.test", "bootstrap", "--crl_refresh_interval", "1s"));
    ok(ssl(crlRefresh, "crl-refresh2.test", "download_cert"));

    // a next-generation certificate revoked: on the next CRL, refused by TLS and by openssl
    CliRunner.Run revoke = cli("revoke", "--certname", "fresh2.test");
    assertThat(revoke.code()).as(revoke.out() + revoke.err()).isZero();
    assertThat(verify(servedFile, freshCert).output()).contains("certificate revoked");
    String base = "https://localhost:" + server.port() + "/puppet-ca/v1/";
    assertThat(Tools.getAs(fresh.resolve("ssl"), "fresh2.test", base + "certificate/ca").output())
        .isNotEqualTo("200");
    assertThat(Tools.getAs(fixedSsl, "fixed2.test", base + "certificate/ca").output())
        .isEqualTo("200");

    CliRunner.Run back = cli("rollover", "abort");
    assertThat(back.code()).as(back.out() + back.err()).isZero();
    assertThat(back.out()).contains("\"stage\":\"prepared\"");
    ok(ssl(fixed, "fixed2.test", "download_cert"));
    // the next CA is withdrawn only once nothing it signed is valid: renewed back under the current
    CliRunner.Run early = cli("rollover", "abort");
    assertThat(early.code()).isEqualTo(1);
    assertThat(early.err()).contains("fixed2.test");
    renew(server, fixed, "fixed2.test");
    ok(ssl(fixed, "fixed2.test", "download_cert"));
    CliRunner.Run abort = cli("rollover", "abort");
    assertThat(abort.code()).as(abort.out() + abort.err()).isZero();
    assertThat(Files.readString(server.config().store().cacert())).isEqualTo(oldCa);
    ok(ssl(fixed, "fixed2.test", "download_cert"));
  }

  private static Tools.Result sslAt(TestServer at, Path agent, String name, String action)
      throws Exception {
    return Tools.run(
        120,
        Tools.puppetSsl(agent, at.port(), name, action, "--waitforcert", "0")
            .toArray(String[]::new));
  }

  private static void fetchTrust(TestServer at, Path agent, String name) throws Exception {
    Tools.fetchTrust(at.port(), agent, name);
  }

  private static void renew(TestServer at, Path agent, String name) throws Exception {
    Tools.renew(at.port(), agent, name);
  }

  @Test
  void afterFinishAnAgentThatRefreshedKeepsWorkingAndOneThatNeverDoesNeedsItsCaFilesReplaced()
      throws Exception {
    Path root = dir.resolve("finish-server");
    String hocon = "certificate-authority { allow-auto-renewal: true }";
    Path fixed = dir.resolve("fixed-agent-3");
    Path refreshing = dir.resolve("refreshing-agent-3");
    X509Certificate next;
    try (TestServer at = TestServer.builder(root).autosign("true").hocon(hocon).start()) {
      ok(sslAt(at, fixed, "fixed3.test", "bootstrap"));
      ok(sslAt(at, refreshing, "refreshing3.test", "bootstrap"));
      List<String> url = List.of("--server-url", "https://127.0.0.1:" + at.port());
      for (String action : List.of("prepare", "activate")) {
        CliRunner.Run r = CliRunner.ca(root, url, "rollover", action);
        assertThat(r.code()).as(r.out() + r.err()).isZero();
      }
      next = at.caBundle().get(1);
      fetchTrust(at, refreshing, "refreshing3.test"); // Puppet 8's daily refresh
      renew(at, refreshing, "refreshing3.test");
      renew(at, fixed, "fixed3.test");
      ok(sslAt(at, fixed, "fixed3.test", "download_cert"));
      ok(sslAt(at, refreshing, "refreshing3.test", "download_cert"));
    }
    CliRunner.Run finish = CliRunner.ca(root, List.of(), "rollover", "finish");
    assertThat(finish.code()).as(finish.out() + finish.err()).isZero();

    try (TestServer at = TestServer.builder(root).autosign("true").hocon(hocon).start()) {
      assertThat(at.caBundle()).containsExactly(next);
      // refreshed during the rollover: verifies the server's new certificate at once
      ok(sslAt(at, refreshing, "refreshing3.test", "download_cert"));
      // never refreshed: its old CA bundle cannot verify the server any more...
      Tools.Result stale = sslAt(at, fixed, "fixed3.test", "download_cert");
      assertThat(stale.exitCode()).as(stale.output()).isNotZero();
      // ...until its CA bundle and CRL are replaced (by hand, or a file resource before finish)
      Files.delete(fixed.resolve("ssl/certs/ca.pem"));
      Files.delete(fixed.resolve("ssl/crl.pem"));
      ok(sslAt(at, fixed, "fixed3.test", "bootstrap"));
      ok(sslAt(at, fixed, "fixed3.test", "download_cert"));
      Path newCa = write("finished-ca.pem", Files.readString(at.config().store().cacert()));
      for (Path leaf :
          List.of(
              fixed.resolve("ssl/certs/fixed3.test.pem"),
              refreshing.resolve("ssl/certs/refreshing3.test.pem"))) {
        Tools.Result v = Tools.verifyWithCrls(newCa, at.config().store().cacrl(), leaf);
        assertThat(v.output()).as(leaf.toString()).contains(": OK");
      }
    }
  }
}
