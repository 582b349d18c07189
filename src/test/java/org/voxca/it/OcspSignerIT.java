package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.pki.Certificates;
import org.voxca.testing.Ocsp;
import org.voxca.testing.TestPki;
import org.voxca.testing.TestServer;

/**
 * OCSP responses are signed by a delegated responder, not the CA key: each carries one certificate,
 * issued by the CA, for OCSP signing only, with ocsp-nocheck, living three days, recorded as issued
 * (so OCSP itself says it is good); the same responder signs every response until it is due. With
 * {@code voxca { ocsp-signer: ca }} the CA signs, as before.
 */
class OcspSignerIT {
  @TempDir static Path dir;
  static TestServer delegated;
  static TestServer byCa;

  @BeforeAll
  static void start() throws Exception {
    delegated = TestServer.builder(dir.resolve("delegated")).autosign("true").start();
    byCa =
        TestServer.builder(dir.resolve("ca"))
            .autosign("true")
            .hocon("voxca { ocsp-signer: ca }\n")
            .start();
  }

  @AfterAll
  static void stop() {
    delegated.close();
    byCa.close();
  }

  private static BasicOCSPResp ask(TestServer s, String name) throws Exception {
    assertThat(
            s.anonymous()
                .put("/puppet-ca/v1/certificate_request/" + name, TestPki.csr(name).pem())
                .statusCode())
        .isEqualTo(200);
    BigInteger serial =
        Certificates.readCertificates(s.anonymous().get("/puppet-ca/v1/certificate/" + name).body())
            .get(0)
            .getSerialNumber();
    return ask(s, serial);
  }

  private static BasicOCSPResp ask(TestServer s, BigInteger serial) throws Exception {
    Ocsp.Answer a =
        Ocsp.post(
            s.port(), s.caBundle(), Ocsp.request(s.issuer().certificate(), List.of(serial), null));
    assertThat(a.http()).isEqualTo(200);
    return a.basic();
  }

  @Test
  void aDelegatedResponderSignsAndTheCaKeyDoesNot() throws Exception {
    X509Certificate ca = delegated.issuer().certificate();
    BasicOCSPResp one = ask(delegated, "one.signer.test");
    X509CertificateHolder[] certs = one.getCerts();
    assertThat(certs).hasSize(1);
    X509Certificate responder = new JcaX509CertificateConverter().getCertificate(certs[0]);
    responder.verify(ca.getPublicKey()); // issued by the CA
    assertThat(responder.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.9");
    assertThat(responder.getBasicConstraints()).isEqualTo(-1);
    assertThat(responder.getExtensionValue(OCSPObjectIdentifiers.id_pkix_ocsp_nocheck.getId()))
        .isNotNull();
    assertThat(responder.getSubjectX500Principal().getName()).endsWith(" OCSP responder");
    Duration life =
        Duration.between(responder.getNotBefore().toInstant(), responder.getNotAfter().toInstant());
    assertThat(life).isBetween(Duration.ofDays(3), Duration.ofDays(3).plusMinutes(6));
    assertThat(one.isSignatureValid(new JcaContentVerifierProviderBuilder().build(responder)))
        .isTrue();
    assertThat(ca.getPublicKey().getAlgorithm()).isEqualTo("RSA");
    assertThat(one.getSignatureAlgOID().getId())
        .as("signed by the responder's EC key, not the CA's RSA key")
        .isEqualTo("1.2.840.10045.4.3.2");

    BasicOCSPResp two = ask(delegated, "two.signer.test");
    assertThat(two.getCerts()[0].getSerialNumber())
        .as("one responder until it is due")
        .isEqualTo(responder.getSerialNumber());
    BasicOCSPResp self = ask(delegated, responder.getSerialNumber());
    assertThat(self.getResponses()[0].getCertStatus()).as("recorded as issued: good").isNull();
  }

  @Test
  void withOcspSignerCaTheCaSignsAsBefore() throws Exception {
    BasicOCSPResp r = ask(byCa, "ca.signer.test");
    assertThat(r.getCerts()).isEmpty();
    assertThat(
            r.isSignatureValid(
                new JcaContentVerifierProviderBuilder().build(byCa.issuer().certificate())))
        .isTrue();
  }
}
