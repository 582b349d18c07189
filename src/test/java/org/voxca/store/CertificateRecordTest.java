package org.voxca.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.junit.jupiter.api.Test;
import org.voxca.pki.CertBuilder;
import org.voxca.pki.Issuer;
import org.voxca.pki.Keys;

class CertificateRecordTest {
  static final KeyPair CA_KEY = Keys.rsa(2048);

  static X509Certificate cert(
      String name, Instant notBefore, Instant notAfter, GeneralNames san, List<Extension> extras)
      throws Exception {
    X509Certificate ca =
        CertBuilder.selfSignedCa(
            "Record CA",
            CA_KEY,
            BigInteger.ONE,
            notBefore.minusSeconds(60),
            notAfter.plusSeconds(60));
    Issuer issuer = new Issuer(ca, CA_KEY.getPrivate(), List.of(ca));
    KeyPair key = Keys.rsa(2048);
    return CertBuilder.leaf(
        issuer,
        new CertBuilder.Leaf(
            name,
            SubjectPublicKeyInfo.getInstance(key.getPublic().getEncoded()),
            new BigInteger("123456789abcdef0123", 16),
            notBefore,
            notAfter,
            san,
            false,
            extras,
            false));
  }

  @Test
  void saysWhatTheCertificateSays() throws Exception {
    Instant nb = Instant.parse("2026-03-04T05:06:07Z");
    for (Instant na :
        List.of(
            Instant.parse("2031-01-02T03:04:05Z"),
            Instant.parse("2051-06-07T08:09:10Z"))) { // UTCTime, GeneralizedTime
      GeneralNames san =
          new GeneralNames(
              new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "r.test"),
                new GeneralName(GeneralName.iPAddress, "10.0.0.9")
              });
      Extension role =
          new Extension(
              new ASN1ObjectIdentifier("1.3.6.1.4.1.34380.1.3.13"),
              false,
              new DERUTF8String("web").getEncoded());
      X509Certificate c = cert("r.test", nb, na, san, List.of(role));
      CertificateRecord r = CertificateRecord.of("r.test", c);
      assertThat(r.serial()).isEqualTo(c.getSerialNumber());
      assertThat(r.notBefore()).isEqualTo(c.getNotBefore().toInstant());
      assertThat(r.notAfter()).isEqualTo(c.getNotAfter().toInstant()).isEqualTo(na);
      assertThat(r.subjectAltNames()).containsExactly("IP:10.0.0.9", "DNS:r.test");
      assertThat(r.authorizationExtensions()).containsEntry("pp_auth_role", "web").hasSize(1);
      assertThat(r.digest(CertificateRecord.SHA256))
          .isEqualTo(MessageDigest.getInstance("SHA-256").digest(c.getEncoded()));
      assertThat(r.digest(CertificateRecord.SHA1))
          .isEqualTo(MessageDigest.getInstance("SHA-1").digest(c.getEncoded()));
      assertThat(r.digest(CertificateRecord.SHA512))
          .isEqualTo(MessageDigest.getInstance("SHA-512").digest(c.getEncoded()));
    }
  }

  @Test
  void theCommonSanOfJustTheNameIsSharedButListedTheSame() throws Exception {
    GeneralNames self = new GeneralNames(new GeneralName(GeneralName.dNSName, "s.test"));
    Instant now = Instant.now();
    CertificateRecord r =
        CertificateRecord.of(
            "s.test", cert("s.test", now, now.plus(Duration.ofDays(1)), self, List.of()));
    assertThat(r.subjectAltNames()).containsExactly("DNS:s.test");
    assertThat(r.authorizationExtensions()).isEmpty();
    GeneralNames other = new GeneralNames(new GeneralName(GeneralName.dNSName, "other.test"));
    assertThat(
            CertificateRecord.of(
                    "s.test", cert("s.test", now, now.plus(Duration.ofDays(1)), other, List.of()))
                .subjectAltNames())
        .containsExactly("DNS:other.test");
  }
}
