package org.voxca.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CrlAppenderTest {
  static final KeyPair KEY = Keys.rsa(2048);
  static final X509Certificate CA =
      CertBuilder.selfSignedCa(
          "Appender CA",
          KEY,
          BigInteger.ONE,
          Instant.now().minusSeconds(60),
          Instant.now().plus(Duration.ofDays(10)));
  static final Issuer ISSUER = new Issuer(CA, KEY.getPrivate(), List.of(CA));

  static X509CRL parse(byte[] der) throws Exception {
    return (X509CRL)
        CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
  }

  @Test
  void appendsToAnExistingCrlWithoutTouchingItsEntries() throws Exception {
    Map<BigInteger, Instant> old = new LinkedHashMap<>();
    for (int i = 1; i <= 300; i++) {
      old.put(
          BigInteger.valueOf(i * 7L),
          Instant.now().minusSeconds(i).truncatedTo(ChronoUnit.SECONDS));
    }
    X509CRL before =
        CrlBuilder.build(
            ISSUER,
            Instant.now().minusSeconds(600),
            Instant.now().plusSeconds(3600),
            BigInteger.valueOf(41),
            old);
    ByteArrayOutputStream entries = new ByteArrayOutputStream();
    entries.writeBytes(CrlSummary.of(before.getEncoded()).entries());
    BigInteger fresh = new BigInteger("123456789012345678901234567890");
    entries.writeBytes(CrlAppender.entry(fresh, Instant.now()));
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    byte[] der =
        CrlAppender.sign(
            ISSUER,
            now.minusSeconds(300),
            now.plus(Duration.ofDays(5)),
            BigInteger.valueOf(42),
            entries.toByteArray());

    X509CRL after = parse(der);
    after.verify(KEY.getPublic());
    assertThat(after.getRevokedCertificates()).hasSize(301);
    old.keySet().forEach(s -> assertThat(after.getRevokedCertificate(s)).isNotNull());
    assertThat(after.getRevokedCertificate(fresh).getRevocationReason())
        .hasToString("KEY_COMPROMISE");
    assertThat(CrlBuilder.number(after)).isEqualTo(BigInteger.valueOf(42));
    assertThat(after.getThisUpdate().toInstant()).isEqualTo(now.minusSeconds(300));
    assertThat(after.getNextUpdate().toInstant()).isEqualTo(now.plus(Duration.ofDays(5)));
    assertThat(after.getIssuerX500Principal()).isEqualTo(CA.getSubjectX500Principal());
    assertThat(after.getExtensionValue("2.5.29.35"))
        .isEqualTo(before.getExtensionValue("2.5.29.35"));
    assertThat(Certificates.readCrls(CrlAppender.pem(der)).get(0)).isEqualTo(after);
    for (int drop = 0;
        drop < 3;
        drop++) { // signPem = pem(sign) + tail, whatever the entries' length mod 3
      byte[] e = entries.toByteArray();
      int len = e.length - drop; // bytes, not entries: only the encoding is compared here
      byte[] expected =
          (CrlAppender.pem(
                      CrlAppender.sign(ISSUER, now, now.plusSeconds(60), BigInteger.TEN, e, len))
                  + "tail")
              .getBytes(StandardCharsets.US_ASCII);
      assertThat(
              CrlAppender.signPem(
                  ISSUER, now, now.plusSeconds(60), BigInteger.TEN, e, len, "tail".getBytes()))
          .isEqualTo(expected);
    }
    for (int cut = 0; cut < 3; cut++) { // every base64 padding case
      byte[] d = Arrays.copyOf(der, der.length - cut);
      assertThat(new String(CrlAppender.pemBytes(d, "tail".getBytes()), StandardCharsets.US_ASCII))
          .isEqualTo(CrlAppender.pem(d) + "tail");
    }
  }

  @Test
  void anEmptyCrlGetsItsFirstEntry() throws Exception {
    X509CRL empty =
        CrlBuilder.build(
            ISSUER,
            Instant.now().minusSeconds(60),
            Instant.now().plusSeconds(3600),
            BigInteger.ZERO,
            Map.of());
    assertThat(CrlSummary.of(empty.getEncoded()).entries()).isEmpty();
    byte[] der =
        CrlAppender.sign(
            ISSUER,
            Instant.now().minusSeconds(60),
            Instant.now().plusSeconds(3600),
            BigInteger.ONE,
            CrlAppender.entry(BigInteger.TEN, Instant.now()));
    X509CRL one = parse(der);
    one.verify(KEY.getPublic());
    assertThat(one.getRevokedCertificates()).hasSize(1);
    byte[] none =
        CrlAppender.sign(
            ISSUER,
            Instant.now().minusSeconds(60),
            Instant.now().plusSeconds(3600),
            BigInteger.TWO,
            new byte[0]);
    assertThat(parse(none).getRevokedCertificates()).isNull();
  }
}
