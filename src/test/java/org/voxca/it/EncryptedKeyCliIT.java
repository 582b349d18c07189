package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.pki.Certificates;
import org.voxca.testing.CliRunner;
import org.voxca.testing.CliRunner.Run;

/**
 * The offline verbs that sign work with an encrypted CA key as with a plain one: {@code setup}
 * (one-level and two-level: both keys sealed) and {@code extend} (the CA, or a two-level CA's root)
 * sign with it, and a wrong passphrase makes each refuse with the reason.
 */
class EncryptedKeyCliIT {
  @TempDir Path dir;

  private List<String> config(String secret) throws Exception {
    Path pass = Files.writeString(dir.resolve("pass-" + secret.hashCode()), secret + "\n");
    Files.setPosixFilePermissions(pass, PosixFilePermissions.fromString("rw-------"));
    Path conf =
        Files.writeString(
            dir.resolve("voxca-" + secret.hashCode() + ".conf"),
            "voxca { ca-key { type: encrypted, passphrase-file: \"" + pass + "\" } }\n");
    return List.of("--config", conf.toString(), "--setting", "keylength=2048");
  }

  /** The one host certificate setup wrote under the ssldir. */
  private static String hostName(Path root) throws Exception {
    try (var files = Files.list(root.resolve("puppet/ssl/certs"))) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(n -> !n.equals("ca.pem") && !n.endsWith("-ecdsa.pem"))
          .map(n -> n.substring(0, n.length() - 4))
          .findFirst()
          .orElseThrow();
    }
  }

  private static X509Certificate cert(Path file) throws Exception {
    return Certificates.readCertificates(Files.readString(file)).get(0);
  }

  @Test
  void setupGenerateAndExtendSignWithASealedKey() throws Exception {
    Path root = dir.resolve("one");
    List<String> conf = config("the right one");
    Run setup = CliRunner.ca(root, conf, "setup");
    assertThat(setup.code()).as(setup.err()).isZero();
    Path cadir = root.resolve("puppetserver/ca");
    assertThat(Files.readString(cadir.resolve("ca_key.pem")))
        .startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");

    Run wrong = CliRunner.ca(root, config("a wrong one"), "extend", "--ttl", "10y");
    assertThat(wrong.code()).isEqualTo(1);
    assertThat(wrong.err()).contains("wrong passphrase");
    X509Certificate ca = cert(cadir.resolve("ca_crt.pem"));
    X509Certificate host = cert(root.resolve("puppet/ssl/certs/" + hostName(root) + ".pem"));
    host.verify(ca.getPublicKey()); // setup signed the server's certificate with the sealed key

    Run extend = CliRunner.ca(root, conf, "extend", "--ttl", "10y");
    assertThat(extend.code()).as(extend.err()).isZero();
    X509Certificate extended = cert(cadir.resolve("ca_crt.pem"));
    assertThat(extended.getNotAfter()).isAfter(ca.getNotAfter());
    extended.verify(extended.getPublicKey()); // re-signed by the sealed key itself
  }

  @Test
  void aTwoLevelSetupSealsBothKeys() throws Exception {
    Path root = dir.resolve("two");
    Run setup = CliRunner.ca(root, config("two levels"), "setup", "--intermediate");
    assertThat(setup.code()).as(setup.err()).isZero();
    Path cadir = root.resolve("puppetserver/ca");
    for (String key : List.of("ca_key.pem", "root_key.pem")) {
      assertThat(Files.readString(cadir.resolve(key)))
          .as(key)
          .startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
    }
    X509Certificate intermediate = cert(cadir.resolve("ca_crt.pem"));
    Run extendRoot = CliRunner.ca(root, config("two levels"), "extend", "--root", "--ttl", "12y");
    assertThat(extendRoot.code()).as(extendRoot.err()).isZero();
    List<X509Certificate> bundle =
        Certificates.readCertificates(Files.readString(cadir.resolve("ca_crt.pem")));
    X509Certificate newRoot = bundle.get(bundle.size() - 1);
    newRoot.verify(newRoot.getPublicKey()); // re-signed by the sealed root key
    intermediate.verify(newRoot.getPublicKey());
  }

  @Test
  void importSealsAnExternalCaKey() throws Exception {
    Path from = dir.resolve("external");
    assertThat(CliRunner.ca(from, List.of("--setting", "keylength=2048"), "setup").code()).isZero();
    Path src = from.resolve("puppetserver/ca");
    Path root = dir.resolve("imported");
    Run imported = CliRunner.importCa(root, config("import secret"), src);
    assertThat(imported.code()).as(imported.err()).isZero();
    Path cadir = root.resolve("puppetserver/ca");
    assertThat(Files.readString(cadir.resolve("ca_key.pem")))
        .startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
    Run generate =
        CliRunner.ca(
            root, config("import secret"), "generate", "--ca-client", "--certname", "x.enc.test");
    assertThat(generate.code()).as(generate.err()).isZero();
    cert(cadir.resolve("signed/x.enc.test.pem"))
        .verify(cert(src.resolve("ca_crt.pem")).getPublicKey());
    Run wrong =
        CliRunner.ca(root, config("not it"), "generate", "--ca-client", "--certname", "y.enc.test");
    assertThat(wrong.code()).isEqualTo(1);
    assertThat(wrong.err()).contains("wrong passphrase");
  }
}
