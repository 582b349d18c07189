package org.voxca.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Random;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;
import org.voxca.tls.ClientHelloProbe.Verdict;

/** The ClientHello probe on real ClientHellos from the JDK's client, whole, cut and mangled. */
class ClientHelloProbeTest {
  private static ByteBuffer clientHello(String protocol, String... suites) throws Exception {
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, null, null);
    SSLEngine e = ctx.createSSLEngine("voxca.test", 8140);
    e.setUseClientMode(true);
    SSLParameters p = e.getSSLParameters();
    p.setProtocols(new String[] {protocol});
    if (suites.length > 0) {
      p.setCipherSuites(suites);
    }
    e.setSSLParameters(p);
    ByteBuffer out = ByteBuffer.allocate(e.getSession().getPacketBufferSize());
    e.wrap(ByteBuffer.allocate(0), out);
    return out.flip();
  }

  /** {@code hello}'s bytes in a buffer of 8 KiB, as Jetty's connection reads them. */
  private static ByteBuffer read(ByteBuffer hello, int bytes) {
    ByteBuffer b = ByteBuffer.allocate(8192);
    b.put(hello.duplicate().limit(bytes));
    return b.flip();
  }

  @Test
  void aTls13ClientAcceptsEcdsaAndATls12OneOnlyWithAnEcdsaSuite() throws Exception {
    ByteBuffer tls13 = clientHello("TLSv1.3");
    assertThat(ClientHelloProbe.probe(read(tls13, tls13.remaining()))).isEqualTo(Verdict.ECDSA);
    ByteBuffer ecdsa12 = clientHello("TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
    assertThat(ClientHelloProbe.probe(read(ecdsa12, ecdsa12.remaining()))).isEqualTo(Verdict.ECDSA);
    ByteBuffer rsa12 = clientHello("TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
    assertThat(ClientHelloProbe.probe(read(rsa12, rsa12.remaining()))).isEqualTo(Verdict.OTHER);
  }

  @Test
  void aPartialClientHelloNeedsMoreBytesAndTheProbeConsumesNothing() throws Exception {
    ByteBuffer hello = clientHello("TLSv1.3");
    for (int n : new int[] {0, 1, 4, 5, 40, hello.remaining() - 1}) {
      ByteBuffer b = read(hello, n);
      assertThat(ClientHelloProbe.probe(b)).as("%d bytes", n).isEqualTo(Verdict.NEED_MORE_BYTES);
      assertThat(b.position()).isZero();
      assertThat(b.remaining()).isEqualTo(n);
    }
  }

  @Test
  void whatIsNoWholeClientHelloInOneRecordIsOther() throws Exception {
    ByteBuffer hello = clientHello("TLSv1.3");
    assertThat(ClientHelloProbe.probe(ByteBuffer.wrap("GET / HTTP/1.1\r\n".getBytes())))
        .as("plain HTTP")
        .isEqualTo(Verdict.OTHER);
    assertThat(ClientHelloProbe.probe(ByteBuffer.wrap(new byte[] {0x15})))
        .as("an alert")
        .isEqualTo(Verdict.OTHER);
    ByteBuffer huge = read(hello, 5);
    huge.put(3, (byte) 0x3f).put(4, (byte) 0xff); // a record longer than the buffer can hold
    assertThat(ClientHelloProbe.probe(huge)).isEqualTo(Verdict.OTHER);
    // the handshake message says it is longer than its record: it continues in another record
    ByteBuffer split = read(hello, hello.remaining());
    split.put(6, (byte) 0x7f);
    assertThat(ClientHelloProbe.probe(split)).isEqualTo(Verdict.OTHER);
  }

  @Test
  void mangledClientHellosNeverThrow() throws Exception {
    ByteBuffer hello = clientHello("TLSv1.3");
    Random random = new Random(27);
    int ecdsa = 0;
    for (int i = 0; i < 20_000; i++) {
      ByteBuffer b = read(hello, hello.remaining());
      for (int k = 0; k < 1 + random.nextInt(4); k++) {
        b.put(5 + random.nextInt(b.remaining() - 5), (byte) random.nextInt(256));
      }
      Verdict v = ClientHelloProbe.probe(b);
      assertThat(v).isNotEqualTo(Verdict.NEED_MORE_BYTES);
      ecdsa += v == Verdict.ECDSA ? 1 : 0;
    }
    assertThat(ecdsa).as("most single-byte changes leave the algorithms readable").isPositive();
  }
}
