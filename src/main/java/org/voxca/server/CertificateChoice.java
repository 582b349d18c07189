package org.voxca.server;

import java.nio.ByteBuffer;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.DetectorConnectionFactory;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.voxca.tls.ClientHelloProbe;
import org.voxca.tls.LiveTrustSslContextFactory;

/**
 * The server's ECDSA and RSA certificates side by side for a TLS engine that holds one certificate
 * per handshake (BoringSSL): the ClientHello is read before any engine exists, and a client that
 * accepts ECDSA P-256 gets the engine holding the ECDSA certificate, every other client (and any
 * byte stream that is not a ClientHello, refused there as before) the one holding the RSA
 * certificate. The JDK's engine chooses by itself and needs none of this.
 */
final class CertificateChoice {
  private CertificateChoice() {}

  /** The connection factory that reads the ClientHello, then hands the socket to one of the two. */
  static ConnectionFactory of(
      LiveTrustSslContextFactory ecdsa,
      LiveTrustSslContextFactory rsa,
      String next,
      boolean directBuffers) {
    return new DetectorConnectionFactory(
        buffers(new EcdsaClients(ecdsa, next), directBuffers),
        buffers(new OtherClients(rsa, next), directBuffers));
  }

  /** TLS from one context, holding every server certificate (or only one). */
  static ConnectionFactory one(LiveTrustSslContextFactory tls, String next, boolean directBuffers) {
    return buffers(new SslConnectionFactory(tls, next), directBuffers);
  }

  private static <T extends SslConnectionFactory> T buffers(T factory, boolean direct) {
    factory.setDirectBuffersForEncryption(direct);
    factory.setDirectBuffersForDecryption(direct);
    return factory;
  }

  /** TLS for the clients whose ClientHello accepts the ECDSA certificate. */
  private static final class EcdsaClients extends SslConnectionFactory {
    EcdsaClients(LiveTrustSslContextFactory tls, String next) {
      super(tls, next);
    }

    @Override
    public Detection detect(ByteBuffer buffer) {
      return switch (ClientHelloProbe.probe(buffer)) {
        case NEED_MORE_BYTES -> Detection.NEED_MORE_BYTES;
        case ECDSA -> Detection.RECOGNIZED;
        case OTHER -> Detection.NOT_RECOGNIZED;
      };
    }
  }

  /** TLS for everything else, once the ClientHello has been read whole (or is no ClientHello). */
  private static final class OtherClients extends SslConnectionFactory {
    OtherClients(LiveTrustSslContextFactory tls, String next) {
      super(tls, next);
    }

    @Override
    public Detection detect(ByteBuffer buffer) {
      return ClientHelloProbe.probe(buffer) == ClientHelloProbe.Verdict.NEED_MORE_BYTES
          ? Detection.NEED_MORE_BYTES
          : Detection.RECOGNIZED;
    }
  }
}
