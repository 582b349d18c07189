package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Security;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.pki.Certificates;
import org.voxca.testing.Await;
import org.voxca.testing.SoftHsm;
import org.voxca.testing.TestPki;
import org.voxca.testing.TestServer;

/**
 * The CA key in a real PKCS#11 token (SoftHSM2, {@code voxca { ca-key { type: pkcs11 } }}): made
 * inside it, never extractable, used for certificates and CRLs, found again after a restart; a CA
 * directory holds only a reference. A token that fails while the server runs stops signing (503,
 * readiness {@code error}, nothing written) and is used again once it is back.
 */
class Pkcs11IT {
  @TempDir static Path dir;
  static SoftHsm.Token token;

  @BeforeAll
  static void token() throws Exception {
    token = SoftHsm.create("it", dir);
  }

  private static TestServer start(Path root, String hocon, String... settings) throws Exception {
    TestServer.Builder b = TestServer.builder(root).autosign("true").hocon(hocon);
    for (int i = 0; i < settings.length; i += 2) {
      b.setting(settings[i], settings[i + 1]);
    }
    return b.start();
  }

  static HttpResponse<String> submit(TestServer s, String name) {
    return s.anonymous().put("/puppet-ca/v1/certificate_request/" + name, TestPki.csr(name).pem());
  }

  static X509Certificate signs(TestServer s, String name) throws Exception {
    assertThat(submit(s, name).statusCode()).isEqualTo(200);
    X509Certificate cert =
        Certificates.readCertificates(s.anonymous().get("/puppet-ca/v1/certificate/" + name).body())
            .get(0);
    cert.verify(s.issuer().certificate().getPublicKey());
    return cert;
  }

  /** The key labelled {@code label} as the token itself shows it, through a separate session. */
  static PrivateKey tokenKey(SoftHsm.Token t, String label) throws Exception {
    Provider p = null;
    for (String block : SoftHsm.run("--show-slots").split("\nSlot ")) {
      if (block.contains("Label:            " + t.label() + " ")) {
        String id = block.replace("Available slots:\nSlot ", "").lines().findFirst().orElseThrow();
        p =
            Security.getProvider("SunPKCS11")
                .configure("--name=check\nlibrary=" + SoftHsm.LIBRARY + "\nslot=" + id.strip());
      }
    }
    assertThat(p).as("the slot of " + t.label()).isNotNull();
    KeyStore ks = KeyStore.getInstance("PKCS11", p);
    ks.load(null, t.pin().toCharArray());
    return (PrivateKey) ks.getKey(label, null);
  }

  @Test
  void anRsaCaKeyIsMadeInTheTokenNeverLeavesItAndSignsAfterARestart() throws Exception {
    Path root = dir.resolve("rsa");
    String hocon = token.hocon("rsa-ca", "1s");
    X509Certificate first;
    Path cadir;
    try (TestServer s = start(root, hocon)) {
      cadir = s.cadir();
      first = signs(s, "one.hsm.test");
      assertThat(
              s.admin()
                  .put(
                      "/puppet-ca/v1/certificate_status/one.hsm.test",
                      "{\"desired_state\":\"revoked\"}")
                  .statusCode())
          .isEqualTo(204);
      X509CRL crl =
          Certificates.readCrls(
                  s.anonymous().get("/puppet-ca/v1/certificate_revocation_list/ca").body())
              .get(0);
      crl.verify(s.issuer().certificate().getPublicKey());
      assertThat(crl.getRevokedCertificate(first.getSerialNumber())).isNotNull();
    }
    String kept = Files.readString(cadir.resolve("ca_key.pem"));
    assertThat(kept).contains("label: rsa-ca").doesNotContain("PRIVATE KEY");
    PrivateKey inToken = tokenKey(token, "rsa-ca");
    assertThat(inToken.getAlgorithm()).isEqualTo("RSA");
    assertThat(inToken.getEncoded()).as("the key cannot be extracted").isNull();
    assertThat(inToken.toString())
        .contains("token object")
        .contains("sensitive")
        .contains("unextractable");
    try (TestServer s = start(root, hocon)) {
      X509Certificate second = signs(s, "two.hsm.test");
      assertThat(second.getIssuerX500Principal()).isEqualTo(first.getIssuerX500Principal());
    }
  }

  @Test
  void aTwoLevelEcCaKeepsBothKeysInTheToken() throws Exception {
    Path root = dir.resolve("ec2");
    Path cadir;
    try (TestServer s =
        start(
            root, token.hocon("ec2", "1s") + "voxca { ca-chain: two-level }\n", "key_type", "ec")) {
      cadir = s.cadir();
      X509Certificate cert = signs(s, "ec.hsm.test");
      assertThat(cert.getSigAlgName()).isEqualTo("SHA256withECDSA");
      List<X509Certificate> bundle = s.caBundle();
      assertThat(bundle).hasSize(2);
      bundle.get(0).verify(bundle.get(1).getPublicKey());
    }
    assertThat(Files.readString(cadir.resolve("root_key.pem"))).contains("label: ec2-root");
    assertThat(tokenKey(token, "ec2-root").getAlgorithm()).isEqualTo("EC");
    assertThat(tokenKey(token, "ec2").getEncoded()).isNull();
  }

  @Test
  void aTokenThatFailsAtRunTimeStopsSigningAndIsUsedAgainWhenItIsBack() throws Exception {
    SoftHsm.Token own = SoftHsm.create("pull", dir);
    Path root = dir.resolve("pull");
    try (TestServer s = start(root, own.hocon("pulled", "1s"), "key_type", "ec")) {
      signs(s, "before.hsm.test");
      // the token's objects go (SoftHSM2 then fails every use of the key's handle), and come back
      Path folder = SoftHsm.folderOf(own);
      Path away = Files.createDirectories(dir.resolve("objects-away"));
      List<Path> objects;
      try (var files = Files.list(folder)) {
        objects =
            files
                .filter(f -> f.toString().endsWith(".object") || f.toString().endsWith(".lock"))
                .filter(f -> !f.getFileName().toString().startsWith("token."))
                .toList();
      }
      assertThat(objects).isNotEmpty();
      for (Path f : objects) {
        Files.move(f, away.resolve(f.getFileName()));
      }
      Await.until(
          Duration.ofSeconds(20),
          "readiness error",
          () -> s.anonymous().get("/status/v1/simple").statusCode() == 503);
      assertThat(s.anonymous().get("/status/v1/simple").body()).contains("error");
      HttpResponse<String> refused = submit(s, "during.hsm.test");
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(refused.body()).contains("The CA key is unavailable");
      assertThat(s.anonymous().get("/puppet-ca/v1/certificate/during.hsm.test").statusCode())
          .isEqualTo(404);
      assertThat(s.cadir().resolve("signed/during.hsm.test.pem")).doesNotExist();

      // back under new names, the token's generation mark gone: SoftHSM2 indexes them as new
      for (Path f : objects) {
        Files.move(away.resolve(f.getFileName()), f.resolveSibling("back-" + f.getFileName()));
      }
      Files.delete(folder.resolve("generation"));
      Await.until(
          Duration.ofSeconds(20),
          "readiness running",
          () -> s.anonymous().get("/status/v1/simple").statusCode() == 200);
      signs(s, "after.hsm.test");
    }
  }
}
