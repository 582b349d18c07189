package org.voxca.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.voxca.assembly.CaAssembly;
import org.voxca.ca.ManagedCa;
import org.voxca.client.PuppetCaClient;
import org.voxca.config.PuppetDuration;
import org.voxca.store.CaInUse;
import org.voxca.store.CaStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code voxca ca extend [--ttl 15y]}: a new CA certificate with the same key, subject, serial and
 * extensions, valid {@code ttl} from now (the configured ca_ttl by default). Offline when no server
 * holds the CA directory; through the running server otherwise, which then serves and trusts the
 * new bundle at once. The previous bundle stays as {@code ca_crt.pem.<date>}.
 */
@Command(
    name = "extend",
    mixinStandardHelpOptions = true,
    description = "Extend the CA certificate (same key; agents keep working).")
final class ExtendCommand implements Callable<Integer> {
  @Mixin CliOptions options;

  @Option(names = "--ttl", description = "New lifetime from now, e.g. 15y (default: ca_ttl)")
  String ttl;

  @Option(names = "--root", description = "Extend a two-level CA's root (root_key.pem) instead")
  boolean root;

  @Option(
      names = "--force",
      description = "Allow a ttl that ends before the certificate's current notAfter (not < 1 day)")
  boolean force;

  @Override
  public Integer call() throws Exception {
    CaAssembly parts = options.assembly();
    Duration life = ttl == null ? parts.settings().caTtl() : PuppetDuration.parse("--ttl", ttl);
    CaStore store;
    try {
      store = parts.openStore();
    } catch (CaInUse running) {
      PuppetCaClient.Reply r = Online.client(options).extendCa(life.toSeconds(), root, force);
      if (r.status() != 200) {
        System.err.println("Error: the CA answered " + r.status() + ": " + r.body());
        return Outcome.ERROR;
      }
      System.out.println("Extended the CA certificate through the running server: " + r.body());
      return Outcome.OK;
    }
    return Offline.locked(
        parts,
        locked -> {
          ManagedCa ca = Offline.existingCa(locked, parts);
          if (ca == null) {
            return Outcome.ERROR;
          }
          var next = ca.extendCaCertificate(life, root, force);
          Offline.finish(locked, ca.issuer(), parts);
          System.out.println(
              "Extended the CA certificate; valid until " + next.getNotAfter().toInstant());
          return Outcome.OK;
        },
        store);
  }
}
