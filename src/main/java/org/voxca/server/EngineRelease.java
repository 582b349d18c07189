package org.voxca.server;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.ssl.SslConnection;

/**
 * Frees a native TLS engine when its connection closes. BoringSSL's engine (Conscrypt) holds native
 * memory and a pipe (two file descriptors) per connection, freed once both its directions are
 * closed, and otherwise only when the collector finalizes it: a connection closed in mid-handshake
 * (a handshake past its deadline, a client gone) would hold them until then.
 */
final class EngineRelease implements Connection.Listener {
  @Override
  public void onClosed(Connection connection) {
    if (connection instanceof SslConnection ssl) {
      SSLEngine engine = ssl.getSSLEngine();
      engine.closeOutbound();
      try {
        engine.closeInbound();
      } catch (SSLException truncated) {
        // no close_notify came: expected of a connection that was cut
      }
    }
  }
}
