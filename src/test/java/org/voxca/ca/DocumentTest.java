package org.voxca.ca;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.voxca.pki.CertBuilder;
import org.voxca.pki.CrlAppender;
import org.voxca.pki.Issuer;
import org.voxca.pki.Keys;

/** The gzip copy of a served document: made once, and what it saves on a large CRL. */
class DocumentTest {

  @Test
  void aCrlOf100000SerialsGoesOutAtUnderAThirdOfItsSize() throws Exception {
    Instant now = Instant.now();
    KeyPair key = Keys.ec("secp256r1");
    var caCert =
        CertBuilder.selfSignedCa(
            "Test CA", key, BigInteger.ONE, now.minusSeconds(60), now.plusSeconds(86400));
    Issuer issuer = new Issuer(caCert, key.getPrivate(), List.of(caCert));
    ByteArrayOutputStream entries = new ByteArrayOutputStream();
    for (int i = 0; i < 100_000; i++) {
      entries.writeBytes(
          CrlAppender.entry(BigInteger.valueOf(1_000_000L + i * 7L), now.minusSeconds(i)));
    }
    byte[] e = entries.toByteArray();
    byte[] pem =
        CrlAppender.signPem(
            issuer, now, now.plusSeconds(86400), BigInteger.TEN, e, e.length, new byte[0]);
    Document d = new Document(pem, now);
    byte[] gz = d.gzipped();
    assertThat(d.gzipped()).as("made once").isSameAs(gz);
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      assertThat(in.readAllBytes()).isEqualTo(pem);
    }
    System.out.printf(
        "[gzip] CRL of 100,000 serials: %d bytes of PEM, %d gzipped (%.0f%%)%n",
        pem.length, gz.length, 100.0 * gz.length / pem.length);
    assertThat(gz.length).isLessThan(pem.length / 3);
  }
}
