package org.voxca.cli;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.voxca.assembly.CaAssembly;
import org.voxca.ca.ManagedCa;
import org.voxca.ca.NameRules;
import org.voxca.store.CaStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code voxca ca delete [--expired] [--revoked] [--certname a,b] | --all} (offline, as the newest
 * {@code puppetserver ca delete}): removes signed certificate files, nothing else; 0 done, 24 when
 * a named certificate was not there, 1 on a usage error or while the server runs.
 */
@Command(
    name = "delete",
    mixinStandardHelpOptions = true,
    description = "Delete signed certificate files (offline).")
final class DeleteCommand implements Callable<Integer> {
  @Mixin CliOptions options;

  @Option(names = "--expired", description = "Delete expired signed certificates")
  boolean expired;

  @Option(names = "--revoked", description = "Delete signed certificates already revoked")
  boolean revoked;

  @Option(names = "--certname", split = ",", description = "Delete these certificates")
  List<String> names = new ArrayList<>();

  @Option(names = "--all", description = "Delete every signed certificate on disk")
  boolean all;

  @Override
  public Integer call() throws Exception {
    if (!all && !expired && !revoked && names.isEmpty()) {
      System.err.println("Error: one of --expired, --revoked, --certname or --all is required");
      return Outcome.ERROR;
    }
    if (all && (expired || revoked || !names.isEmpty())) {
      System.err.println(
          "Error: The --all flag must not be used with --expired, --revoked, or --certname");
      return Outcome.ERROR;
    }
    names.forEach(NameRules::validateLookup);
    CaAssembly parts = options.assembly();
    return Offline.locked(
        parts,
        store -> {
          ManagedCa ca = Offline.existingCa(store, parts);
          if (ca == null) {
            return Outcome.ERROR;
          }
          return delete(store, ca);
        });
  }

  private int delete(CaStore store, ManagedCa ca) {
    Instant now = Instant.now();
    Set<String> targets = new LinkedHashSet<>();
    store
        .records()
        .eachCertificate(
            n -> true,
            r -> {
              boolean isRevoked = ca.isRevoked(r.serial());
              if (all || (expired && r.notAfter().isBefore(now)) || (revoked && isRevoked)) {
                targets.add(r.name());
              }
            });
    boolean missing = false;
    for (String name : names) {
      if (store.records().certificate(name).isPresent()) {
        targets.add(name);
      } else {
        System.err.println("Could not find certificate file at " + store.certificateLocation(name));
        missing = true;
      }
    }
    int deleted = 0;
    for (String name : targets) {
      System.out.println("Deleting certificate at " + store.certificateLocation(name));
      if (store.records().deleteCertificate(name)) {
        deleted++;
      }
    }
    System.out.println(deleted + " certificate" + (deleted == 1 ? "" : "s") + " deleted.");
    return missing ? Outcome.INVALID : Outcome.OK;
  }
}
