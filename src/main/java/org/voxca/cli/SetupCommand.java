package org.voxca.cli;

import java.util.concurrent.Callable;
import org.voxca.assembly.CaAssembly;
import org.voxca.ca.CaLifecycle;
import org.voxca.pki.Issuer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code voxca ca setup} (offline): creates a new CA directory and the server's own certificate
 * without starting the server. Refuses when CA files exist, and — through the CA directory's OS
 * lock — while a server holds the directory.
 */
@Command(
    name = "setup",
    mixinStandardHelpOptions = true,
    description = "Create a new CA (offline).")
final class SetupCommand implements Callable<Integer> {
  @Mixin CliOptions options;
  @Mixin PuppetSpellings puppet;
  @Mixin TokenOptions token;

  @Option(names = "--ca-name", description = "The new CA's name (puppet.conf ca_name)")
  String caName;

  @Option(
      names = "--intermediate",
      description = "A two-level CA: a root (key in root_key.pem) signs the CA that signs agents")
  boolean intermediate;

  @Option(names = "--root-ca-name", description = "The root's name (default Puppet Root CA: <hex>)")
  String rootCaName;

  @Override
  public Integer call() throws Exception {
    if (caName != null) {
      options.settings.put("ca_name", caName);
    }
    token.applyTo(options);
    CaAssembly parts = puppet.applyTo(options).assembly();
    return Offline.locked(
        parts,
        store -> {
          if (!store.documents().layout().empty()) {
            System.err.println(
                "Error: CA files already exist in "
                    + store.location()
                    + ": "
                    + String.join(", ", store.documents().layout().found()));
            return Outcome.ERROR;
          }
          boolean twoLevel = intermediate || rootCaName != null || parts.config().ca().twoLevel();
          Issuer issuer =
              parts.initializeOrAdopt(
                  store,
                  twoLevel
                      ? (rootCaName != null ? rootCaName : CaLifecycle.defaultRootCaName())
                      : null);
          Offline.finish(store, issuer, parts);
          System.out.println(
              "Generation succeeded. Find your files in " + parts.config().store().cadir());
          if (token.named()) {
            System.out.println(
                "The CA key was made in the PKCS#11 token and never leaves it ("
                    + parts.settings().keys().describe()
                    + "). Give the server the same token:\n  "
                    + TokenOptions.hocon(parts.config().store().pkcs11()));
          }
          return Outcome.OK;
        });
  }
}
