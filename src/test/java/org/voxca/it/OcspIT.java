package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.pki.Certificates;
import org.voxca.testing.Ocsp;
import org.voxca.testing.TestPki;
import org.voxca.testing.TestServer;

/**
 * The OCSP responder under requests no honest client sends, and under repetition: unsupported hash
 * algorithms are unknown (never a 500), nonces are 1–32 bytes, responses without a nonce are signed
 * once and served again until a status changes, and only those are publicly cacheable.
 */
class OcspIT {
  @TempDir static Path dir;
  static TestServer server;
  static X509Certificate ca;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.builder(dir).autosign("true").start();
    ca = server.issuer().certificate();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static Ocsp.Answer post(byte[] request) throws Exception {
    Ocsp.Answer a = Ocsp.post(server.port(), server.caBundle(), request);
    assertThat(a.http()).isEqualTo(200);
    return a;
  }

  private static BigInteger issue(String name) {
    assertThat(
            server
                .anonymous()
                .put("/puppet-ca/v1/certificate_request/" + name, TestPki.csr(name).pem())
                .statusCode())
        .isEqualTo(200);
    return Certificates.readCertificates(
            server.anonymous().get("/puppet-ca/v1/certificate/" + name).body())
        .get(0)
        .getSerialNumber();
  }

  @Test
  void aCertIdWithAnUnsupportedHashIsUnknownNotAnError() throws Exception {
    BigInteger serial = issue("hash.ocsp.test");
    for (AlgorithmIdentifier hash :
        List.of(
            new AlgorithmIdentifier(new ASN1ObjectIdentifier("1.2.3.4.5.6.7"), DERNull.INSTANCE),
            new AlgorithmIdentifier(
                new ASN1ObjectIdentifier("1.2.840.10045.2.1"), DERNull.INSTANCE))) { // a key alg
      Ocsp.Answer a = post(Ocsp.requestWithHash(ca, serial, hash));
      assertThat(a.ocspStatus()).as(hash.getAlgorithm().getId()).isEqualTo(OCSPResp.SUCCESSFUL);
      assertThat(a.certStatus()).isEqualTo("unknown");
    }
  }

  @Test
  void noncesAreOneToThirtyTwoBytes() throws Exception {
    BigInteger serial = issue("nonce.ocsp.test");
    byte[] n32 = new byte[32];
    n32[0] = 7;
    Ocsp.Answer ok = post(Ocsp.request(ca, List.of(serial), n32));
    assertThat(ok.ocspStatus()).isEqualTo(OCSPResp.SUCCESSFUL);
    assertThat(ok.certStatus()).isEqualTo("good");
    assertThat(ok.nonce()).as("echoed").isNotNull();
    assertThat(ok.cacheControl()).as("a nonce response is never shared").isEqualTo("no-store");
    for (int len : new int[] {33, 4096}) {
      Ocsp.Answer bad = post(Ocsp.request(ca, List.of(serial), new byte[len]));
      assertThat(bad.ocspStatus()).as("a %d-byte nonce", len).isEqualTo(OCSPResp.MALFORMED_REQUEST);
      assertThat(bad.cacheControl()).isEqualTo("no-store");
    }
    Ocsp.Answer empty = post(Ocsp.request(ca, List.of(serial), new byte[0]));
    assertThat(empty.ocspStatus()).isEqualTo(OCSPResp.MALFORMED_REQUEST);
    assertThat(post("not OCSP".getBytes()).cacheControl()).isEqualTo("no-store");
  }

  @Test
  void aRepeatedRequestReusesItsSignatureUntilTheStatusChanges() throws Exception {
    BigInteger serial = issue("cached.ocsp.test");
    byte[] req = Ocsp.request(ca, List.of(serial), null);
    Ocsp.Answer first = post(req);
    assertThat(first.certStatus()).isEqualTo("good");
    assertThat(first.cacheControl()).contains("public").contains("max-age=");
    Thread.sleep(1100); // a fresh signature would carry a later producedAt
    Ocsp.Answer again = post(req);
    assertThat(again.der()).as("the same signed response, reused").isEqualTo(first.der());

    assertThat(
            server
                .admin()
                .put(
                    "/puppet-ca/v1/certificate_status/cached.ocsp.test",
                    "{\"desired_state\":\"revoked\"}")
                .statusCode())
        .isEqualTo(204);
    Ocsp.Answer revoked = post(req);
    assertThat(revoked.certStatus()).as("a revocation is seen at once").isEqualTo("revoked");

    // an unknown serial becomes good once issued, though its unknown answer was kept
    byte[] nextReq = Ocsp.request(ca, List.of(serial.add(BigInteger.ONE)), null);
    assertThat(post(nextReq).certStatus()).isEqualTo("unknown");
    assertThat(issue("next.ocsp.test")).isEqualTo(serial.add(BigInteger.ONE));
    assertThat(post(nextReq).certStatus()).isEqualTo("good");
  }

  @Test
  void aFloodOfDistinctRequestsGetsTryLaterPastTheSigningBudget() throws Exception {
    java.util.concurrent.atomic.AtomicInteger tryLater =
        new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger successful =
        new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicLong serials =
        new java.util.concurrent.atomic.AtomicLong(5_000_000L);
    java.util.Set<Integer> statuses = java.util.concurrent.ConcurrentHashMap.newKeySet();
    long deadline = System.nanoTime() + 10_000_000_000L;
    java.util.List<Thread> clients = new java.util.ArrayList<>();
    for (int t = 0; t < 8; t++) {
      Thread c =
          new Thread(
              () -> {
                while (tryLater.get() == 0 && System.nanoTime() < deadline) {
                  try {
                    Ocsp.Answer a =
                        post(
                            Ocsp.request(
                                ca, List.of(BigInteger.valueOf(serials.incrementAndGet())), null));
                    statuses.add(a.ocspStatus());
                    if (a.ocspStatus() == OCSPResp.TRY_LATER) {
                      assertThat(a.cacheControl()).isEqualTo("no-store");
                      tryLater.incrementAndGet();
                    } else {
                      successful.incrementAndGet();
                    }
                  } catch (Exception e) {
                    statuses.add(-1);
                  }
                }
              });
      c.start();
      clients.add(c);
    }
    for (Thread c : clients) {
      c.join();
    }
    assertThat(statuses).isSubsetOf(OCSPResp.SUCCESSFUL, OCSPResp.TRY_LATER);
    assertThat(successful.get()).as("signed within the budget").isPositive();
    assertThat(tryLater.get()).as("past a tenth of a core of signing in one second").isPositive();
    Thread.sleep(1100); // the next second's budget, for the other tests
  }
}
