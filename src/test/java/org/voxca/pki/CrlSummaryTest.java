package org.voxca.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.bouncycastle.asn1.x509.CertificateList;
import org.bouncycastle.asn1.x509.TBSCertList;
import org.junit.jupiter.api.Test;

class CrlSummaryTest {
  static final Issuer ISSUER = CrlAppenderTest.ISSUER;

  static X509CRL crl(int entries, long number) {
    Map<BigInteger, Instant> revoked = new LinkedHashMap<>();
    for (int i = 1; i <= entries; i++) {
      revoked.put(BigInteger.valueOf(i).shiftLeft(i % 100), Instant.now().minusSeconds(i));
    }
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    return CrlBuilder.build(
        ISSUER,
        now.minusSeconds(300),
        now.plusSeconds(86_400),
        BigInteger.valueOf(number),
        revoked);
  }

  @Test
  void readsWhatTheJdkReads() throws Exception {
    X509CRL jdk = crl(500, 77);
    CrlSummary s = CrlSummary.of(jdk.getEncoded());
    Set<BigInteger> expected = new HashSet<>();
    for (X509CRLEntry e : jdk.getRevokedCertificates()) {
      expected.add(e.getSerialNumber());
    }
    assertThat(s.serials().toSet()).isEqualTo(expected);
    expected.forEach(x -> assertThat(s.serials().contains(x)).isTrue());
    assertThat(s.serials().contains(BigInteger.valueOf(3))).isFalse();
    assertThat(s.issuer()).isEqualTo(jdk.getIssuerX500Principal());
    assertThat(s.thisUpdate()).isEqualTo(jdk.getThisUpdate().toInstant());
    assertThat(s.nextUpdate()).isEqualTo(jdk.getNextUpdate().toInstant());
    assertThat(s.number()).isEqualTo(BigInteger.valueOf(77));
    ByteArrayOutputStream entries = new ByteArrayOutputStream();
    var e = CertificateList.getInstance(jdk.getEncoded()).getRevokedCertificateEnumeration();
    while (e.hasMoreElements()) {
      entries.writeBytes(((TBSCertList.CRLEntry) e.nextElement()).getEncoded("DER"));
    }
    assertThat(s.entries()).isEqualTo(entries.toByteArray());
  }

  @Test
  void readsEveryCrlOfAChainAndAnEmptyOne() {
    X509CRL empty = crl(0, 1);
    X509CRL full = crl(3, 2);
    var chain = CrlSummary.ofChain(Pem.encode(empty, full).getBytes(StandardCharsets.US_ASCII));
    assertThat(chain).hasSize(2);
    assertThat(chain.get(0).serials().size()).isZero();
    assertThat(chain.get(0).entries()).isEmpty();
    assertThat(chain.get(1).serials().size()).isEqualTo(3);
    var headers =
        CrlSummary.headersOfChain(Pem.encode(empty, full).getBytes(StandardCharsets.US_ASCII));
    assertThat(headers.get(1).serials().size()).isZero();
    assertThat(headers.get(1).number()).isEqualTo(chain.get(1).number()).isEqualTo(BigInteger.TWO);
    assertThat(headers.get(1).nextUpdate()).isEqualTo(full.getNextUpdate().toInstant());
  }

  @Test
  void damagedInputIsAPkiExceptionNeverAnotherFailure() throws Exception {
    byte[] der = crl(20, 5).getEncoded();
    for (int cut = 0; cut < der.length; cut++) {
      byte[] truncated = Arrays.copyOf(der, cut);
      assertThatThrownBy(() -> CrlSummary.of(truncated))
          .as("cut at %d", cut)
          .isInstanceOf(PkiException.class);
    }
    Random random = new Random(42);
    for (int i = 0; i < 2000; i++) {
      byte[] flipped = der.clone();
      flipped[random.nextInt(flipped.length)] ^= (byte) (1 << random.nextInt(8));
      try {
        CrlSummary.of(flipped);
      } catch (PkiException expected) {
        // refused with a reason: fine
      }
    }
    assertThatThrownBy(() -> CrlSummary.ofChain("no pem here".getBytes(StandardCharsets.US_ASCII)))
        .isInstanceOf(PkiException.class);
    assertThatThrownBy(
            () ->
                CrlSummary.ofChain(
                    "-----BEGIN X509 CRL-----\n!!!\n-----END X509 CRL-----\n"
                        .getBytes(StandardCharsets.US_ASCII)))
        .isInstanceOf(PkiException.class);
  }
}
