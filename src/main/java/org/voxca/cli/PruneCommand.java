package org.voxca.cli;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.voxca.assembly.CaAssembly;
import org.voxca.ca.ManagedCa;
import org.voxca.ca.PruneResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code voxca ca prune [--remove-duplicates] [--remove-expired] [--remove-entries --serial HEX,...
 * --certname NAME,...]} (offline, as the newest {@code puppetserver ca prune}); with no option it
 * removes duplicates.
 */
@Command(
    name = "prune",
    mixinStandardHelpOptions = true,
    description = "Prune the CA's CRL (offline).")
final class PruneCommand implements Callable<Integer> {
  @Mixin CliOptions options;

  @Option(names = "--remove-duplicates", description = "Remove duplicate entries (the default)")
  boolean removeDuplicates;

  @Option(names = "--remove-expired", description = "Remove entries of expired certificates")
  boolean removeExpired;

  @Option(names = "--remove-entries", description = "Remove the entries of --serial, --certname")
  boolean removeEntries;

  @Option(names = "--serial", split = ",", description = "Serial numbers, in hex, to remove")
  List<String> serials = new ArrayList<>();

  @Option(names = "--certname", split = ",", description = "Names whose entries to remove")
  List<String> certnames = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    if (removeEntries && serials.isEmpty() && certnames.isEmpty()) {
      System.err.println("Error: --remove-entries option require --serial or --certname values");
      return Outcome.ERROR;
    }
    CaAssembly parts = options.assembly();
    return Offline.locked(
        parts,
        store -> {
          ManagedCa ca = Offline.existingCa(store, parts);
          if (ca == null) {
            return Outcome.ERROR;
          }
          Set<BigInteger> remove = new LinkedHashSet<>();
          if (removeEntries) {
            for (String s : serials) {
              if (!s.matches("(0[xX])?[0-9A-Fa-f]+")) {
                System.err.println("Error: not a hex serial number: " + s);
                return Outcome.ERROR;
              }
              remove.add(new BigInteger(s.replaceFirst("^0[xX]", ""), 16));
            }
            certnames.forEach(n -> remove.addAll(ca.serialsOf(n)));
          }
          boolean duplicates = removeDuplicates || (!removeEntries && !removeExpired);
          PruneResult r = ca.upkeep().pruneCrl(duplicates, removeExpired, remove);
          System.out.println(
              "Total number of certificates found in Puppet's CRL is: " + r.total() + ".");
          if (duplicates && r.duplicates() > 0) {
            System.out.println(
                "Removed " + r.duplicates() + " duplicated certs from Puppet's CRL.");
          }
          if (r.entries() > 0) {
            System.out.println("Removed " + r.entries() + " certs from Puppet's CRL.");
          }
          if ((!duplicates || r.duplicates() == 0) && r.entries() == 0) {
            System.out.println("No matching revocations found in the CRL for pruning");
          }
          return Outcome.OK;
        });
  }
}
