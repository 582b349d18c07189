package org.voxca.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import org.voxca.client.PuppetCaClient;
import org.voxca.config.VoxcaConfig;
import org.voxca.pki.Certificates;
import org.voxca.pki.Keys;

/**
 * The online side: a client of the running CA, authenticated with the server's pp_cli_auth
 * certificate.
 */
final class Online {
  private Online() {}

  static PuppetCaClient client(CliOptions o) {
    VoxcaConfig c = o.load();
    try {
      return new PuppetCaClient(
          o.url(c),
          Certificates.readCertificates(Files.readString(c.ssl().localcacert())),
          Certificates.readCertificates(Files.readString(c.ssl().hostcert())).get(0),
          Keys.readKeyPair(Files.readString(c.ssl().hostprivkey())).getPrivate(),
          c.certname());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read the admin certificate under "
              + c.ssl().ssldir()
              + " (run on the CA host, or pass --ssldir/--confdir)",
          e);
    }
  }
}
