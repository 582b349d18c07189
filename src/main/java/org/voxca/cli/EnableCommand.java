package org.voxca.cli;

import java.nio.file.Files;
import java.util.concurrent.Callable;
import org.voxca.assembly.CaAssembly;
import org.voxca.ca.ManagedCa;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code voxca ca enable --infracrl} (offline, as {@code puppetserver ca enable}): writes a fresh
 * infrastructure CRL chain once {@code infra_inventory.txt} lists the infrastructure nodes; refuses
 * to overwrite an existing {@code infra_crl.pem}.
 */
@Command(
    name = "enable",
    mixinStandardHelpOptions = true,
    description = "Create the infrastructure-only CRL (offline).")
final class EnableCommand implements Callable<Integer> {
  @Mixin CliOptions options;

  @Option(names = "--infracrl", required = true, description = "Create the infrastructure CRL")
  boolean infracrl;

  @Override
  public Integer call() throws Exception {
    CaAssembly parts = options.assembly();
    if (!Files.exists(parts.infraInventory())) {
      System.err.println(
          "Error: Please create an inventory file at '"
              + parts.infraInventory()
              + "' with the certnames of your infrastructure nodes before proceeding with infra"
              + " CRL setup!");
      return Outcome.ERROR;
    }
    if (Files.exists(parts.infraCrl())) {
      System.err.println(
          "Error: "
              + parts.infraCrl()
              + " exists. If you would really like to reinitialize your"
              + " infrastructure CRL, please delete the existing files and run this command"
              + " again.");
      return Outcome.ERROR;
    }
    return Offline.locked(
        parts,
        store -> {
          ManagedCa ca = Offline.existingCa(store, parts);
          if (ca == null) {
            return Outcome.ERROR;
          }
          ca.upkeep().createInfraCrl();
          System.out.println("Infra CRL files created.");
          System.out.println(
              "Turn it on with certificate-authority { enable-infra-crl: true } and restart voxca.");
          return Outcome.OK;
        });
  }
}
