package org.voxca.store.puppetdir;

import java.nio.file.Path;
import java.util.Objects;

/** Every path of a Puppet CA directory, as puppet.conf settings name them. */
public record CaPaths(
    Path cadir,
    Path cacert,
    Path cakey,
    Path capub,
    Path cacrl,
    Path csrdir,
    Path signeddir,
    Path serial,
    Path inventory) {
  public CaPaths {
    Objects.requireNonNull(cadir, "cadir == null");
  }

  /** The root CA's key of a two-level CA (Puppet's {@code rootkey}). */
  public Path rootKey() {
    return cadir.resolve("root_key.pem");
  }

  /** The infrastructure CRL chain (Puppet Server's {@code infra-crl-path}). */
  public Path infraCrl() {
    return cadir.resolve("infra_crl.pem");
  }

  /** The infrastructure nodes' certnames, one a line (Puppet Server's infra inventory). */
  public Path infraInventory() {
    return cadir.resolve("infra_inventory.txt");
  }

  /** Puppet's default layout under {@code cadir}. */
  public static CaPaths under(Path cadir) {
    return new CaPaths(
        cadir,
        cadir.resolve("ca_crt.pem"),
        cadir.resolve("ca_key.pem"),
        cadir.resolve("ca_pub.pem"),
        cadir.resolve("ca_crl.pem"),
        cadir.resolve("requests"),
        cadir.resolve("signed"),
        cadir.resolve("serial"),
        cadir.resolve("inventory.txt"));
  }
}
