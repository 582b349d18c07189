package org.voxca.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.voxca.assembly.CaAssembly;
import org.voxca.ca.CaLifecycle;
import org.voxca.pki.Issuer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code voxca ca import --cert-bundle B --private-key K --crl-chain C} (offline): adopts an
 * external CA chain (an intermediate CA under your own root) after checking that the key matches,
 * the chain verifies and every CA has a CRL.
 */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = "Import an external CA chain (offline).")
final class ImportCommand implements Callable<Integer> {
  @Mixin CliOptions options;
  @Mixin PuppetSpellings puppet;

  @Option(
      names = "--cert-bundle",
      required = true,
      description = "PEM: the CA certificate and its parents")
  Path bundle;

  @Option(names = "--private-key", required = true, description = "PEM: the CA's private key")
  Path key;

  @Option(
      names = "--crl-chain",
      required = true,
      description = "PEM: a CRL for every CA of the bundle")
  Path crls;

  @Override
  public Integer call() throws Exception {
    CaAssembly parts = puppet.applyTo(options).assembly();
    return Offline.locked(
        parts,
        store -> {
          Issuer issuer =
              CaLifecycle.importCa(
                  store,
                  Files.readString(bundle),
                  Files.readString(key),
                  Files.readString(crls),
                  parts.settings(),
                  parts.clock());
          Offline.finish(store, issuer, parts);
          System.out.println(
              "Import succeeded. Find your files in " + parts.config().store().cadir());
          return Outcome.OK;
        });
  }
}
