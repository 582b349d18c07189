package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.pki.Certificates;
import org.voxca.pki.CrlBuilder;
import org.voxca.pki.Pem;
import org.voxca.testing.TestServer;

/**
 * A CRL close to its nextUpdate is re-signed, keeping its entries: a quiet CA never serves an
 * expired CRL.
 */
class CrlRefreshIT {
  @TempDir Path dir;

  @Test
  void aCrlExpiringWithin30DaysIsResignedAtStart() throws Exception {
    TestServer.Builder b = TestServer.builder(dir);
    Path crlFile;
    BigInteger revoked = BigInteger.valueOf(4242);
    try (TestServer s = b.start()) {
      crlFile = s.config().store().cacrl();
      X509CRL current = Certificates.readCrls(Files.readString(crlFile)).get(0);
      X509CRL soon =
          CrlBuilder.build(
              s.issuer(),
              Instant.now().minus(Duration.ofDays(300)),
              Instant.now().plus(Duration.ofDays(10)),
              BigInteger.valueOf(7),
              current,
              Map.of(revoked, Instant.now()));
      Files.writeString(crlFile, Pem.encode(soon));
    }
    try (TestServer s = b.start()) {
      String served = s.anonymous().get("/puppet-ca/v1/certificate_revocation_list/ca").body();
      X509CRL crl = Certificates.readCrls(served).get(0);
      assertThat(crl.getNextUpdate().toInstant())
          .isAfter(Instant.now().plus(Duration.ofDays(4 * 365)));
      assertThat(crl.getThisUpdate().toInstant()).isBefore(Instant.now().minusSeconds(60));
      assertThat(CrlBuilder.number(crl)).isEqualTo(BigInteger.valueOf(8));
      assertThat(crl.getRevokedCertificate(revoked)).isNotNull();
      crl.verify(s.issuer().certificate().getPublicKey());
      assertThat(Files.readString(crlFile)).isEqualTo(served);
    }
  }
}
