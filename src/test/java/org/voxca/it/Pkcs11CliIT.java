package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.pki.Certificates;
import org.voxca.testing.CliRunner;
import org.voxca.testing.CliRunner.Run;
import org.voxca.testing.SoftHsm;
import org.voxca.testing.TestServer;

/**
 * The offline verbs with the CA key in a PKCS#11 token: {@code setup --pkcs11} makes the key (RSA,
 * or EC two-level: both keys) inside the token; {@code generate}, {@code extend}, {@code prune} and
 * {@code enable --infracrl} sign through it; {@code import-key} moves a file key (and a root key)
 * into a token, checks it, leaves the old file aside to shred; going back to a file for Puppet
 * Server is moving that file back.
 */
class Pkcs11CliIT {
  @TempDir Path dir;

  private static List<String> flags(SoftHsm.Token t, String keyLabel) {
    return List.of(
        "--pkcs11",
        SoftHsm.LIBRARY.toString(),
        "--token-label",
        t.label(),
        "--key-label",
        keyLabel,
        "--pin-file",
        t.pinFile().toString());
  }

  private List<String> config(SoftHsm.Token t, String keyLabel, String... settings)
      throws Exception {
    Path conf = Files.writeString(dir.resolve(keyLabel + ".conf"), t.hocon(keyLabel, "5s"));
    List<String> args = new ArrayList<>(List.of("--config", conf.toString()));
    for (String s : settings) {
      args.addAll(List.of("--setting", s));
    }
    return args;
  }

  private static Run ok(Run r) {
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    return r;
  }

  private static List<X509Certificate> bundle(Path cadir) throws Exception {
    return Certificates.readCertificates(Files.readString(cadir.resolve("ca_crt.pem")));
  }

  @Test
  void setupMakesTheKeyInTheTokenAndEveryOfflineVerbSignsThroughIt() throws Exception {
    SoftHsm.Token t = SoftHsm.create("cli", dir);
    Path root = dir.resolve("rsa");
    List<String> setupArgs = new ArrayList<>(List.of("setup"));
    setupArgs.addAll(flags(t, "cli-ca"));
    Run setup =
        ok(
            CliRunner.ca(
                root, List.of("--setting", "keylength=2048"), setupArgs.toArray(String[]::new)));
    assertThat(setup.out())
        .contains("never leaves it")
        .contains("token-label: \"" + t.label() + "\"");
    Path cadir = root.resolve("puppetserver/ca");
    assertThat(Files.readString(cadir.resolve("ca_key.pem")))
        .contains("label: cli-ca")
        .doesNotContain("PRIVATE KEY");
    assertThat(Pkcs11IT.tokenKey(t, "cli-ca").getEncoded()).isNull();
    X509Certificate ca = bundle(cadir).get(0);

    List<String> conf = config(t, "cli-ca", "keylength=2048");
    ok(CliRunner.ca(root, conf, "generate", "--ca-client", "--certname", "gen.hsm.test"));
    Certificates.readCertificates(Files.readString(cadir.resolve("signed/gen.hsm.test.pem")))
        .get(0)
        .verify(ca.getPublicKey());
    Files.delete(cadir.resolve("infra_crl.pem"));
    ok(CliRunner.ca(root, conf, "enable", "--infracrl"));
    X509CRL infra = Certificates.readCrls(Files.readString(cadir.resolve("infra_crl.pem"))).get(0);
    infra.verify(ca.getPublicKey());
    ok(CliRunner.ca(root, conf, "prune", "--remove-expired"));
    Certificates.readCrls(Files.readString(cadir.resolve("ca_crl.pem")))
        .get(0)
        .verify(ca.getPublicKey());
    Run decrypt = CliRunner.ca(root, conf, "key", "--decrypt");
    assertThat(decrypt.code()).isEqualTo(1);
    assertThat(decrypt.err()).contains("lives in a PKCS#11 token: there is no key file");
    ok(CliRunner.ca(root, conf, "extend", "--ttl", "10y"));
    X509Certificate extended = bundle(cadir).get(0);
    assertThat(extended.getNotAfter()).isAfter(ca.getNotAfter());
    extended.verify(ca.getPublicKey());
  }

  @Test
  void aTwoLevelEcSetupKeepsBothKeysInTheTokenAndExtendsTheRoot() throws Exception {
    SoftHsm.Token t = SoftHsm.create("cli2", dir);
    Path root = dir.resolve("ec2");
    List<String> setupArgs = new ArrayList<>(List.of("setup", "--intermediate"));
    setupArgs.addAll(flags(t, "two"));
    ok(CliRunner.ca(root, List.of("--setting", "key_type=ec"), setupArgs.toArray(String[]::new)));
    Path cadir = root.resolve("puppetserver/ca");
    assertThat(Files.readString(cadir.resolve("root_key.pem"))).contains("label: two-root");
    X509Certificate intermediate = bundle(cadir).get(0);
    ok(CliRunner.ca(root, config(t, "two", "key_type=ec"), "extend", "--root", "--ttl", "12y"));
    List<X509Certificate> b = bundle(cadir);
    X509Certificate newRoot = b.get(b.size() - 1);
    newRoot.verify(newRoot.getPublicKey());
    intermediate.verify(newRoot.getPublicKey());
  }

  @Test
  void importKeyMovesFileKeysIntoTheTokenAndTheFileCanComeBack() throws Exception {
    SoftHsm.Token t = SoftHsm.create("import", dir);
    Path root = dir.resolve("import");
    List<String> plain = List.of("--setting", "keylength=2048");
    ok(CliRunner.ca(root, plain, "setup", "--intermediate"));
    Path cadir = root.resolve("puppetserver/ca");
    String fileKey = Files.readString(cadir.resolve("ca_key.pem"));
    String rootKey = Files.readString(cadir.resolve("root_key.pem"));

    List<String> importArgs = new ArrayList<>(List.of("import-key"));
    importArgs.addAll(flags(t, "moved"));
    Run moved = ok(CliRunner.ca(root, plain, importArgs.toArray(String[]::new)));
    assertThat(moved.out())
        .contains("shred -u " + cadir.resolve("ca_key.pem.imported"))
        .contains("shred -u " + cadir.resolve("root_key.pem.imported"));
    assertThat(Files.readString(cadir.resolve("ca_key.pem"))).contains("label: moved");
    assertThat(Files.readString(cadir.resolve("root_key.pem"))).contains("label: moved-root");
    assertThat(Files.readString(cadir.resolve("ca_key.pem.imported"))).isEqualTo(fileKey);
    assertThat(Files.readString(cadir.resolve("root_key.pem.imported"))).isEqualTo(rootKey);
    assertThat(Pkcs11IT.tokenKey(t, "moved").getEncoded()).as("imported unextractable").isNull();

    Run unnamed = CliRunner.ca(root, plain, "import-key", "--pkcs11", SoftHsm.LIBRARY.toString());
    assertThat(unnamed.code()).isEqualTo(1);
    assertThat(unnamed.err()).contains("voxca.ca-key.token-label");
    Run again = CliRunner.ca(root, plain, importArgs.toArray(String[]::new));
    assertThat(again.code()).isEqualTo(1);
    assertThat(again.err()).contains("in a token already");

    X509Certificate intermediate = bundle(cadir).get(0);
    List<String> conf = config(t, "moved", "keylength=2048");
    ok(CliRunner.ca(root, conf, "generate", "--ca-client", "--certname", "after.hsm.test"));
    Certificates.readCertificates(Files.readString(cadir.resolve("signed/after.hsm.test.pem")))
        .get(0)
        .verify(intermediate.getPublicKey());
    try (TestServer s =
        TestServer.builder(root).autosign("true").hocon(t.hocon("moved", "5s")).start()) {
      assertThat(s.cadir()).isEqualTo(cadir);
      Pkcs11IT.signs(s, "served.hsm.test");
    }

    // back to files, as Puppet Server needs them: the old key files return
    Files.move(
        cadir.resolve("ca_key.pem.imported"),
        cadir.resolve("ca_key.pem"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.move(
        cadir.resolve("root_key.pem.imported"),
        cadir.resolve("root_key.pem"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    ok(CliRunner.ca(root, plain, "generate", "--ca-client", "--certname", "file.hsm.test"));
    Certificates.readCertificates(Files.readString(cadir.resolve("signed/file.hsm.test.pem")))
        .get(0)
        .verify(intermediate.getPublicKey());
  }

  @Test
  void importPutsAnExternalCaKeyIntoTheToken() throws Exception {
    SoftHsm.Token t = SoftHsm.create("ext", dir);
    Path from = dir.resolve("external");
    ok(CliRunner.ca(from, List.of("--setting", "keylength=2048"), "setup"));
    Path src = from.resolve("puppetserver/ca");
    Path root = dir.resolve("imported");
    Run imported = ok(CliRunner.importCa(root, config(t, "ext-ca", "keylength=2048"), src));
    Path cadir = root.resolve("puppetserver/ca");
    assertThat(Files.readString(cadir.resolve("ca_key.pem")))
        .as(imported.out())
        .contains("label: ext-ca")
        .doesNotContain("PRIVATE KEY");
    assertThat(Pkcs11IT.tokenKey(t, "ext-ca").getEncoded()).isNull();
    ok(
        CliRunner.ca(
            root,
            config(t, "ext-ca", "keylength=2048"),
            "generate",
            "--ca-client",
            "--certname",
            "ext.hsm.test"));
    Certificates.readCertificates(Files.readString(cadir.resolve("signed/ext.hsm.test.pem")))
        .get(0)
        .verify(bundle(src).get(0).getPublicKey());
  }
}
