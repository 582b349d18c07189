package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CertPathValidator;
import java.security.cert.CertStore;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.pki.CertBuilder;
import org.voxca.pki.Certificates;
import org.voxca.pki.CrlBuilder;
import org.voxca.pki.Issuer;
import org.voxca.pki.KeyIds;
import org.voxca.pki.Keys;
import org.voxca.pki.Names;
import org.voxca.pki.Pem;
import org.voxca.testing.CliRunner;
import org.voxca.testing.CliRunner.Run;
import org.voxca.testing.TestPki;
import org.voxca.testing.TestServer;

/**
 * An intermediate CA under an external root: import, signing, chain CRLs, and PUT of parent CRLs.
 */
class IntermediateCaIT {
  @TempDir static Path dir;
  static Issuer root;
  static Issuer intermediate;
  static X509CRL rootCrl;
  static X509CRL intCrl;
  static Instant now = Instant.now();

  @BeforeAll
  static void pki() {
    KeyPair rk = Keys.rsa(2048);
    X509Certificate rc =
        CertBuilder.selfSignedCa(
            "Root CA: corp",
            rk,
            BigInteger.ONE,
            now.minusSeconds(3600),
            now.plus(Duration.ofDays(3650)));
    root = new Issuer(rc, rk.getPrivate(), List.of(rc));
    KeyPair ik = Keys.rsa(2048);
    X509Certificate ic =
        CertBuilder.intermediateCa(
            root,
            "Puppet CA: corp",
            ik,
            BigInteger.valueOf(7),
            now.minusSeconds(3600),
            now.plus(Duration.ofDays(3000)));
    intermediate = new Issuer(ic, ik.getPrivate(), List.of(ic, rc));
    rootCrl =
        CrlBuilder.build(
            root, now.minusSeconds(600), now.plus(Duration.ofDays(30)), BigInteger.ONE, Map.of());
    intCrl =
        CrlBuilder.build(
            intermediate,
            now.minusSeconds(600),
            now.plus(Duration.ofDays(30)),
            BigInteger.ONE,
            Map.of());
  }

  static Run ca(Path root, String... args) {
    return CliRunner.ca(root, List.of(), args);
  }

  static Path write(String name, String text) throws Exception {
    return Files.writeString(dir.resolve(name), text);
  }

  @Test
  void importRefusesAWrongKeyOrAMissingCrl() throws Exception {
    Path bundle = write("bundle.pem", Pem.encode(intermediate.certificate(), root.certificate()));
    Path wrongKey = write("wrong.pem", Pem.encode(Keys.rsa(2048).getPrivate()));
    Path key = write("key.pem", Pem.encode(intermediate.key()));
    Path onlyInt = write("int-crl.pem", Pem.encode(intCrl));
    Path target = dir.resolve("refused");
    Run r1 =
        ca(
            target,
            "import",
            "--cert-bundle",
            bundle.toString(),
            "--private-key",
            wrongKey.toString(),
            "--crl-chain",
            onlyInt.toString());
    assertThat(r1.code()).isEqualTo(1);
    assertThat(r1.err()).contains("The private key does not match any certificate in the bundle");
    Run r2 =
        ca(
            target,
            "import",
            "--cert-bundle",
            bundle.toString(),
            "--private-key",
            key.toString(),
            "--crl-chain",
            onlyInt.toString());
    assertThat(r2.code()).isEqualTo(1);
    assertThat(r2.err()).contains("no CRL in the chain was issued by CN=Root CA: corp");
    assertThat(target.resolve("puppetserver/ca/ca_key.pem")).doesNotExist();
  }

  @Test
  void importedIntermediateSignsAgentsWhoseChainVerifiesWithEveryCrl() throws Exception {
    Path bundle =
        write(
            "bundle2.pem", Pem.encode(root.certificate(), intermediate.certificate())); // any order
    Path key = write("key2.pem", Pem.encode(intermediate.key()));
    Path crls = write("crls2.pem", Pem.encode(rootCrl, intCrl));
    Path target = dir.resolve("imported");
    Run r =
        ca(
            target,
            "import",
            "--cert-bundle",
            bundle.toString(),
            "--private-key",
            key.toString(),
            "--crl-chain",
            crls.toString());
    assertThat(r.code()).as(r.err()).isZero();

    try (TestServer s = TestServer.builder(target).autosign("true").start()) {
      List<X509Certificate> served =
          Certificates.readCertificates(s.anonymous().get("/puppet-ca/v1/certificate/ca").body());
      assertThat(served).containsExactly(intermediate.certificate(), root.certificate());
      List<X509CRL> chain =
          Certificates.readCrls(
              s.anonymous().get("/puppet-ca/v1/certificate_revocation_list/ca").body());
      assertThat(chain).hasSize(2);
      assertThat(chain.get(0).getIssuerX500Principal())
          .isEqualTo(intermediate.certificate().getSubjectX500Principal());

      KeyPair ak = TestPki.freshEcKey();
      assertThat(
              s.anonymous()
                  .put(
                      "/puppet-ca/v1/certificate_request/corp-agent",
                      TestPki.csr("corp-agent").key(ak).pem())
                  .statusCode())
          .isEqualTo(200);
      X509Certificate agent =
          Certificates.readCertificates(
                  s.anonymous().get("/puppet-ca/v1/certificate/corp-agent").body())
              .get(0);
      assertThat(agent.getIssuerX500Principal())
          .isEqualTo(intermediate.certificate().getSubjectX500Principal());
      pkix(List.of(agent, intermediate.certificate()), chain);
      // the agent authenticates over TLS with its chain
      assertThat(s.client(agent, ak.getPrivate()).get("/puppet-ca/v1/expirations").statusCode())
          .isEqualTo(200);

      // PUT certificate_revocation_list: a newer root CRL replaces the old one; ours is never
      // replaced
      X509CRL newerRoot =
          CrlBuilder.build(
              root, now.minusSeconds(60), now.plus(Duration.ofDays(60)), BigInteger.TWO, Map.of());
      X509CRL fakeOwn =
          CrlBuilder.build(
              intermediate,
              now.minusSeconds(60),
              now.plus(Duration.ofDays(60)),
              BigInteger.TEN,
              Map.of());
      HttpResponse<String> put =
          s.admin()
              .put("/puppet-ca/v1/certificate_revocation_list", Pem.encode(newerRoot, fakeOwn));
      assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
      assertThat(put.body()).isEqualTo("Successfully updated CRLs.");
      List<X509CRL> after =
          Certificates.readCrls(
              s.anonymous().get("/puppet-ca/v1/certificate_revocation_list/ca").body());
      assertThat(CrlBuilder.number(after.get(1))).isEqualTo(BigInteger.TWO);
      assertThat(after.get(0)).isEqualTo(chain.get(0));

      assertThat(s.admin().put("/puppet-ca/v1/certificate_revocation_list", "garbage").body())
          .isEqualTo("No valid CRLs submitted.");
      assertThat(
              s.admin()
                  .put("/puppet-ca/v1/certificate_revocation_list", Pem.encode(crl(root, false)))
                  .body())
          .isEqualTo("One or more submitted CRLs do not have an authority key identifier.");
      assertThat(
              s.admin()
                  .put("/puppet-ca/v1/certificate_revocation_list", Pem.encode(crl(root, true)))
                  .body())
          .isEqualTo("Cannot support delta CRL.");
      X509CRL tieA =
          CrlBuilder.build(
              root,
              now.minusSeconds(30),
              now.plus(Duration.ofDays(60)),
              BigInteger.valueOf(5),
              Map.of());
      X509CRL tieB =
          CrlBuilder.build(
              root,
              now.minusSeconds(20),
              now.plus(Duration.ofDays(61)),
              BigInteger.valueOf(5),
              Map.of());
      assertThat(
              s.admin()
                  .put("/puppet-ca/v1/certificate_revocation_list", Pem.encode(tieA, tieB))
                  .body())
          .isEqualTo("Could not determine newest CRL.");
      X509CRL revokesInt =
          CrlBuilder.build(
              root,
              now.minusSeconds(30),
              now.plus(Duration.ofDays(60)),
              BigInteger.valueOf(9),
              Map.of(intermediate.certificate().getSerialNumber(), now.minusSeconds(10)));
      HttpResponse<String> invalid =
          s.admin().put("/puppet-ca/v1/certificate_revocation_list", Pem.encode(revokesInt));
      assertThat(invalid.statusCode()).isEqualTo(400);
      assertThat(invalid.body()).startsWith("Invalid certs and/or CRLs: ");
      assertThat(
              s.anonymous()
                  .put("/puppet-ca/v1/certificate_revocation_list", Pem.encode(newerRoot))
                  .statusCode())
          .isEqualTo(403);
    }
  }

  private static X509CRL crl(Issuer issuer, boolean delta) throws Exception {
    X509v2CRLBuilder b =
        new X509v2CRLBuilder(
            Names.of(issuer.certificate().getSubjectX500Principal()), Date.from(now));
    b.setNextUpdate(Date.from(now.plus(Duration.ofDays(90))));
    if (delta) {
      b.addExtension(
          Extension.authorityKeyIdentifier,
          false,
          new AuthorityKeyIdentifier(KeyIds.subjectKeyIdOf(issuer.certificate())));
      b.addExtension(Extension.deltaCRLIndicator, true, new CRLNumber(BigInteger.ONE));
    }
    return Certificates.toX509(
        b.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuer.key())));
  }

  private static void pkix(List<X509Certificate> path, List<X509CRL> crls) throws Exception {
    PKIXParameters p = new PKIXParameters(Set.of(new TrustAnchor(root.certificate(), null)));
    p.setRevocationEnabled(true);
    p.addCertStore(
        CertStore.getInstance(
            "Collection", new CollectionCertStoreParameters(new ArrayList<>(crls))));
    CertPathValidator.getInstance("PKIX")
        .validate(CertificateFactory.getInstance("X.509").generateCertPath(path), p);
  }
}
