package org.voxca.cli;

import java.time.Clock;
import java.util.concurrent.Callable;
import org.voxca.ca.CaBootstrap;
import org.voxca.config.VoxcaConfig;
import org.voxca.pki.Issuer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code voxca ca setup} (offline): creates a new CA directory and the server's own certificate
 * without starting the server. Refuses when CA files exist, and — through the CA directory's OS
 * lock — while a server holds the directory.
 */
@Command(name = "setup", mixinStandardHelpOptions = true, description = "Create a new CA (offline).")
final class SetupCommand implements Callable<Integer> {
  @Mixin CliOptions options;

  @Override
  public Integer call() throws Exception {
    VoxcaConfig c = options.load();
    return Offline.locked(c, store -> {
      if (!store.layout().empty()) {
        System.err.println("Error: CA files already exist in " + c.cadir() + ": " + String.join(", ", store.layout().found()));
        return Outcome.ERROR;
      }
      Issuer issuer = CaBootstrap.initializeOrAdopt(store, Offline.settings(c), Clock.systemUTC());
      Offline.finish(store, issuer, c);
      System.out.println("Generation succeeded. Find your files in " + c.cadir());
      return Outcome.OK;
    });
  }
}
