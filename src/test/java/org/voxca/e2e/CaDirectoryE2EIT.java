package org.voxca.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.ca.StartupException;
import org.voxca.pki.Certificates;
import org.voxca.testing.TestClient;
import org.voxca.testing.TestPki;
import org.voxca.testing.TestServer;

/**
 * The CA directory on disk: what voxca writes reads cleanly with openssl, and a directory in Puppet
 * Server's format (made here with openssl) is adopted with its serial and inventory continued.
 */
class CaDirectoryE2EIT {
  @TempDir Path dir;

  @BeforeAll
  static void tools() {
    Tools.require("openssl");
  }

  private static void ok(Path cwd, String... cmd) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(String.join(" ", cmd) + "\n" + out).isZero();
  }

  private static String out(Path cwd, String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor();
    return out;
  }

  @Test
  void aDirectoryWrittenByVoxcaReadsCleanlyWithOpenssl() throws Exception {
    try (TestServer server = TestServer.builder(dir).autosign("false").start()) {
      TestClient anon = server.anonymous();
      anon.put(
          "/puppet-ca/v1/certificate_request/pending.example",
          TestPki.csr("pending.example").pem());
      Path ca = server.cadir();
      ok(ca, "openssl", "x509", "-in", "ca_crt.pem", "-noout", "-text");
      ok(ca, "openssl", "rsa", "-in", "ca_key.pem", "-check", "-noout");
      ok(ca, "openssl", "pkey", "-pubin", "-in", "ca_pub.pem", "-noout");
      ok(ca, "openssl", "crl", "-in", "ca_crl.pem", "-noout", "-text");
      ok(ca, "openssl", "req", "-in", "requests/pending.example.pem", "-verify", "-noout");
      ok(
          ca,
          "openssl",
          "verify",
          "-crl_check",
          "-CAfile",
          "ca_crt.pem",
          "-CRLfile",
          "ca_crl.pem",
          "signed/voxca.test.pem");
      assertThat(
              out(
                  ca,
                  "openssl",
                  "x509",
                  "-in",
                  "signed/voxca.test.pem",
                  "-noout",
                  "-ext",
                  "subjectAltName"))
          .contains("DNS:localhost", "IP Address:127.0.0.1", "DNS:voxca.test");
      assertThat(Files.readString(ca.resolve("ca_key.pem")))
          .startsWith("-----BEGIN RSA PRIVATE KEY-----");
      assertThat(
              PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(ca.resolve("ca_key.pem"))))
          .isEqualTo("rw-r-----");
      assertThat(
              PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(server.config().ssl().hostprivkey())))
          .isEqualTo("rw-r-----");
      // the CA took 0x0001, the server's RSA certificate 0x0002, its ECDSA certificate 0x0003
      assertThat(Files.readString(ca.resolve("serial"))).isEqualTo("0004");
      assertThat(Files.readAllLines(ca.resolve("inventory.txt")))
          .hasSize(3)
          .allMatch(l -> l.matches("0x000[123] \\S+UTC \\S+UTC /CN=.*"));
      // the server's own identity where puppet.conf puts it
      assertThat(Files.readString(server.config().ssl().localcacert()))
          .isEqualTo(Files.readString(ca.resolve("ca_crt.pem")));
      assertThat(Files.readString(server.config().ssl().hostcrl()))
          .isEqualTo(Files.readString(ca.resolve("ca_crl.pem")));
      assertThat(
              out(
                  ca,
                  "openssl",
                  "x509",
                  "-in",
                  server.config().ssl().hostcert().toString(),
                  "-noout",
                  "-text"))
          .contains("1.3.6.1.4.1.34380.1.3.39");
    }
  }

  @Test
  void adoptsAPuppetServerDirectoryAndContinuesItsSerialAndInventory() throws Exception {
    Path ca = dir.resolve("puppetserver/ca");
    Files.createDirectories(ca.resolve("signed"));
    Files.createDirectories(ca.resolve("requests"));
    ok(
        ca,
        "openssl",
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca_key.pem",
        "-out",
        "ca_crt.pem",
        "-subj",
        "/CN=Puppet CA: legacy.example",
        "-days",
        "3650",
        "-set_serial",
        "1",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
        "-addext",
        "subjectKeyIdentifier=hash");
    Files.writeString(
        ca.resolve("openssl.cnf"),
        String.join(
            "\n",
            "[ca]",
            "default_ca = d",
            "[d]",
            "database = index.txt",
            "crlnumber = crlnumber",
            "default_md = sha256",
            "default_crl_days = 365",
            "certificate = ca_crt.pem",
            "private_key = ca_key.pem",
            ""));
    Files.writeString(ca.resolve("index.txt"), "");
    Files.writeString(ca.resolve("crlnumber"), "01\n");
    ok(ca, "openssl", "ca", "-config", "openssl.cnf", "-gencrl", "-out", "ca_crl.pem");
    ok(
        ca,
        "openssl",
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "old.key",
        "-out",
        "old.csr",
        "-subj",
        "/CN=old-agent");
    ok(
        ca,
        "openssl",
        "x509",
        "-req",
        "-in",
        "old.csr",
        "-CA",
        "ca_crt.pem",
        "-CAkey",
        "ca_key.pem",
        "-set_serial",
        "0x29",
        "-days",
        "30",
        "-out",
        "signed/old-agent.pem");
    Files.writeString(ca.resolve("serial"), "002A");
    String inventory =
        "0x0001 2020-08-20T20:26:18UTC 2030-08-20T20:26:18UTC /CN=Puppet CA: legacy.example\n"
            + "0x0029 2020-08-20T20:26:27UTC 2030-08-20T20:26:27UTC /CN=old-agent\n";
    Files.writeString(ca.resolve("inventory.txt"), inventory);
    String oldCert = Files.readString(ca.resolve("signed/old-agent.pem"));

    try (TestServer server = TestServer.builder(dir).autosign("true").start()) {
      assertThat(server.cadir()).isEqualTo(ca);
      TestClient anon = server.anonymous();
      assertThat(anon.get("/puppet-ca/v1/certificate/old-agent").body()).isEqualTo(oldCert);
      assertThat(anon.get("/puppet-ca/v1/certificate/ca").body())
          .isEqualTo(Files.readString(ca.resolve("ca_crt.pem")));
      assertThat(
              anon.put(
                      "/puppet-ca/v1/certificate_request/new-agent", TestPki.csr("new-agent").pem())
                  .statusCode())
          .isEqualTo(200);
      var cert =
          Certificates.readCertificates(anon.get("/puppet-ca/v1/certificate/new-agent").body())
              .get(0);
      // the server's own certificates took 0x2A (RSA) and 0x2B (ECDSA) at start-up, the agent
      // the next one
      assertThat(cert.getSerialNumber()).isEqualTo(BigInteger.valueOf(0x2C));
      assertThat(Files.readString(ca.resolve("serial"))).isEqualTo("002D");
      List<String> lines = Files.readAllLines(ca.resolve("inventory.txt"));
      assertThat(String.join("\n", lines.subList(0, 2)) + "\n").isEqualTo(inventory);
      assertThat(lines.get(2)).startsWith("0x002A ").endsWith("/CN=voxca.test");
      assertThat(lines.get(3)).startsWith("0x002B ").endsWith("/CN=voxca.test");
      assertThat(lines.get(4)).startsWith("0x002C ").endsWith("/CN=new-agent");
      ok(
          ca,
          "openssl",
          "verify",
          "-crl_check",
          "-CAfile",
          "ca_crt.pem",
          "-CRLfile",
          "ca_crl.pem",
          "signed/new-agent.pem");

      // revoking the adopted certificate rewrites the openssl-made CRL; openssl then refuses it
      var r =
          server
              .admin()
              .put("/puppet-ca/v1/certificate_status/old-agent", "{\"desired_state\":\"revoked\"}");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
      assertThat(
              out(
                  ca,
                  "openssl",
                  "verify",
                  "-crl_check",
                  "-CAfile",
                  "ca_crt.pem",
                  "-CRLfile",
                  "ca_crl.pem",
                  "signed/old-agent.pem"))
          .contains("certificate revoked");
      assertThat(out(ca, "openssl", "crl", "-in", "ca_crl.pem", "-noout", "-text"))
          .contains("Serial Number: 29", "Key Compromise");
    }
  }

  @Test
  void aPartialDirectoryIsRefusedWithPuppetsMessage() throws Exception {
    Path ca = dir.resolve("puppetserver/ca");
    Files.createDirectories(ca);
    Files.writeString(ca.resolve("serial"), "0002");
    var builder = TestServer.builder(dir);
    assertThatThrownBy(builder::start)
        .isInstanceOf(StartupException.class)
        .hasMessageStartingWith(
            "Cannot initialize CA with partial state; need all files or none.\nFound:\n")
        .hasMessageContaining(ca.resolve("serial").toString())
        .hasMessageContaining("Missing:\n" + ca.resolve("ca_crt.pem"));
    assertThat(ca.resolve("ca_key.pem")).doesNotExist();
  }
}
