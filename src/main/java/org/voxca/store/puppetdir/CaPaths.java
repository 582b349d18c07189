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

  /** Where a key rollover keeps its next generation until it ends ({@code cadir/rollover}). */
  public Path rolloverDir() {
    return cadir.resolve("rollover");
  }

  /** The next generation's private key ({@code rollover/next_key.pem}, owner and group only). */
  public Path nextKey() {
    return rolloverDir().resolve("next_key.pem");
  }

  /** The next root's private key when a two-level CA rolls its root too. */
  public Path nextRootKey() {
    return rolloverDir().resolve("next_root_key.pem");
  }

  /** The next generation's CA certificate (and the next root's, when the root rolls too). */
  public Path nextCert() {
    return rolloverDir().resolve("next_crt.pem");
  }

  /** The rollover's stage and start ({@code prepared 2026-12-03T08:00:00Z}); commits the rest. */
  public Path rolloverStage() {
    return rolloverDir().resolve("stage");
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
