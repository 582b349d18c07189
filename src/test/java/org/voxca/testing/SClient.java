package org.voxca.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code openssl s_client -brief} against a test server, trusting its CA: what OpenSSL saw. */
public final class SClient {
  private SClient() {}

  /** OpenSSL's brief report (and errors) of one handshake with {@code server}, with extra flags. */
  public static String handshake(TestServer server, Path work, String... extra) throws Exception {
    Path ca = work.resolve("s_client-ca.pem");
    Files.writeString(ca, Files.readString(server.config().store().cacert()));
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "openssl",
                "s_client",
                "-connect",
                "127.0.0.1:" + server.port(),
                "-CAfile",
                ca.toString(),
                "-brief"));
    cmd.addAll(List.of(extra));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor();
    return out;
  }
}
