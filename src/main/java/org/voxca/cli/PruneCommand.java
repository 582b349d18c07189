package org.voxca.cli;

import java.util.concurrent.Callable;
import org.voxca.ca.ManagedCa;
import org.voxca.server.assembly.CaAssembly;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code voxca ca prune [--remove-expired]} (offline): duplicate and expired entries out of the
 * CRL.
 */
@Command(
    name = "prune",
    mixinStandardHelpOptions = true,
    description = "Prune the CA's CRL (offline).")
final class PruneCommand implements Callable<Integer> {
  @Mixin CliOptions options;

  @Option(
      names = "--remove-expired",
      description = "Also drop serials whose certificates have expired")
  boolean removeExpired;

  @Override
  public Integer call() throws Exception {
    CaAssembly parts = options.assembly();
    return Offline.locked(
        parts,
        store -> {
          ManagedCa ca = Offline.existingCa(store, parts);
          if (ca == null) {
            return Outcome.ERROR;
          }
          int dropped = ca.pruneCrl(removeExpired);
          System.out.println(
              dropped == 0
                  ? "No entries to prune from the CRL."
                  : "Removed " + dropped + " entries from the CA's CRL.");
          return Outcome.OK;
        });
  }
}
