package org.voxca.cli;

import java.util.concurrent.Callable;
import org.voxca.assembly.CaAssembly;
import org.voxca.store.CheckReport;
import org.voxca.store.StoreCapabilities;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code voxca ca check [--repair]} (offline): does the CA directory (or database) agree with
 * itself?
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = "Check (and repair) the CA directory or database (offline).")
final class CheckCommand implements Callable<Integer> {
  @Mixin CliOptions options;

  @Option(names = "--repair", description = "Repair what a crash can leave behind")
  boolean repair;

  @Override
  public Integer call() throws Exception {
    CaAssembly parts = options.assembly();
    return Offline.locked(
        parts,
        store -> {
          if (!Offline.complete(store)) {
            return Outcome.ERROR;
          }
          CheckReport r = StoreCapabilities.of(store).checkable().check(repair);
          r.problems().forEach(p -> System.out.println("problem: " + p));
          r.repairs().forEach(p -> System.out.println("repaired: " + p));
          if (r.clean()) {
            System.out.println("The CA in " + store.location() + " is consistent.");
            return Outcome.OK;
          }
          return repair ? Outcome.OK : Outcome.ERROR;
        });
  }
}
