package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.testing.RawTls;
import org.voxca.testing.TestServer;

/**
 * {@code voxca { max-connections }}: with every slot held by an open TLS connection, a new client
 * waits (in the accept queue, not refused, not failed) and is served as soon as a slot frees.
 */
class ConnectionCapIT {
  @TempDir Path dir;

  @Test
  void aClientPastTheCapWaitsForAFreeSlot() throws Exception {
    try (TestServer s = TestServer.builder(dir).hocon("voxca { max-connections: 2 }").start()) {
      RawTls first = RawTls.open(s.port(), s.caBundle(), InetAddress.getLoopbackAddress());
      RawTls second = RawTls.open(s.port(), s.caBundle(), InetAddress.getLoopbackAddress());
      try {
        CompletableFuture<HttpResponse<String>> third =
            CompletableFuture.supplyAsync(() -> s.anonymous().get("/puppet-ca/v1/certificate/ca"));
        Thread.sleep(1500);
        assertThat(third).as("past the cap the client waits").isNotDone();
        first.close();
        assertThat(third.get(8, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      } finally {
        first.close();
        second.close();
      }
    }
  }
}
