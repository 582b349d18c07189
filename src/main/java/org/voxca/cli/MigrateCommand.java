package org.voxca.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.voxca.assembly.CaAssembly;
import org.voxca.assembly.StoreCopy;
import org.voxca.config.StoreKind;
import org.voxca.files.AtomicFiles;
import org.voxca.store.CaInUse;
import org.voxca.store.CaStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code voxca ca migrate} (offline, as {@code puppetserver ca migrate}): moves a CA directory from
 * the legacy {@code $ssldir/ca} to {@code <confdir>/../puppetserver/ca} and leaves a symlink at the
 * old place; never overwrites an existing directory.
 */
@Command(
    name = "migrate",
    mixinStandardHelpOptions = true,
    description =
        "Move the CA directory from $ssldir/ca to puppetserver/ca, or with --to-store copy it"
            + " into a PostgreSQL database (offline).")
final class MigrateCommand implements Callable<Integer> {
  @Mixin CliOptions options;

  @Option(
      names = "--to-store",
      description = "Copy the CA directory into this empty PostgreSQL database instead (jdbc URL)")
  String toStore;

  @Mixin StoreOptions store;

  @Override
  public Integer call() throws Exception {
    CaAssembly parts = options.assembly();
    if (toStore != null) {
      return toDatabase(parts);
    }
    Path current = parts.config().store().cadir();
    Path parent = parts.config().confdir().getParent();
    Path target = (parent != null ? parent : parts.config().confdir()).resolve("puppetserver/ca");
    if (Files.exists(target)) {
      System.err.println(
          "Error: Migration will not overwrite the directory at "
              + target
              + ". Have you already run this migration tool? It is likely that you have already"
              + " successfully run the migration or do not need to run it.");
      return Outcome.ERROR;
    }
    if (!Files.isDirectory(current) || Files.isSymbolicLink(current)) {
      System.err.println(
          "Error: No CA dir found at "
              + current
              + ". Please check the configured cadir setting in your puppet.conf file and verify"
              + " its contents.");
      return Outcome.ERROR;
    }
    try (CaStore held = parts.openStore(new StoreKind.Directory())) {
      held.location(); // opened only to prove no server runs on it
    } catch (CaInUse e) {
      System.err.println("Error: " + e.getMessage() + "; stop the server first");
      return Outcome.ERROR;
    }
    AtomicFiles.directory(target.getParent(), "rwxr-xr-x");
    Files.move(current, target);
    Files.createSymbolicLink(current, target);
    System.out.println(
        "CA dir successfully migrated to "
            + target
            + ". Symlink placed at "
            + current
            + " for backwards compatibility. The server can be safely restarted now.");
    return Outcome.OK;
  }

  /** The CA directory, under its lock, copied into an empty database; counts checked. */
  private int toDatabase(CaAssembly parts) throws Exception {
    return Offline.directory(
        parts,
        dir -> {
          if (!dir.documents().layout().complete()) {
            System.err.println("Error: no complete CA in " + parts.config().store().cadir());
            return Outcome.ERROR;
          }
          try (CaStore db = store.open(parts, toStore)) {
            StoreCopy.Counts n = StoreCopy.copy(dir, db);
            System.out.println(
                "Copied the CA in "
                    + parts.config().store().cadir()
                    + " to "
                    + toStore
                    + ": "
                    + n.summary()
                    + " (counts verified). The CA key stays in the cadir; start"
                    + " voxca with --store-url "
                    + toStore);
            return Outcome.OK;
          } catch (IllegalStateException e) {
            System.err.println("Error: " + e.getMessage());
            return Outcome.ERROR;
          }
        });
  }
}
