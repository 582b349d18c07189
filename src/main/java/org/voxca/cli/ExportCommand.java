package org.voxca.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.voxca.assembly.CaAssembly;
import org.voxca.assembly.StoreCopy;
import org.voxca.config.StoreKind;
import org.voxca.files.AtomicFiles;
import org.voxca.store.CaStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code voxca ca export --to DIR [--from-store URL]}: writes the CA of the database (the
 * configured store, or {@code --from-store}) as a Puppet CA directory that Puppet Server and {@code
 * voxca serve --cadir} adopt, with the CA keys copied from the cadir. The directory must be empty
 * or absent.
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = "Write the database's CA as a Puppet CA directory.")
final class ExportCommand implements Callable<Integer> {
  @Mixin CliOptions options;

  @Option(names = "--to", required = true, description = "The new CA directory")
  Path to;

  @Option(names = "--from-store", description = "The database (default: voxca { store { url } })")
  String fromStore;

  @Mixin StoreOptions store;

  @Override
  public Integer call() throws Exception {
    CaAssembly parts = options.assembly();
    if (fromStore == null && !(parts.config().store().kind() instanceof StoreKind.Postgres)) {
      System.err.println("Error: no database: give --from-store or configure voxca { store }");
      return Outcome.ERROR;
    }
    if (Files.exists(to)) {
      try (var entries = Files.list(to)) {
        if (entries.findAny().isPresent()) {
          System.err.println("Error: " + to + " is not empty");
          return Outcome.ERROR;
        }
      }
    }
    try (CaStore db = fromStore != null ? store.open(parts, fromStore) : parts.openStore();
        CaStore dir = parts.openDirectory(to.toAbsolutePath())) {
      StoreCopy.Counts n = StoreCopy.copy(db, dir);
      Path cadir = parts.config().store().cadir();
      for (String key : List.of("ca_key.pem", "root_key.pem")) {
        if (Files.isRegularFile(cadir.resolve(key))) {
          AtomicFiles.write(
              to.resolve(key), Files.readAllBytes(cadir.resolve(key)), AtomicFiles.PRIVATE);
        }
      }
      System.out.println("Exported the CA to " + to + ": " + n.summary() + " (counts verified)");
      return Outcome.OK;
    } catch (IllegalStateException e) {
      System.err.println("Error: " + e.getMessage());
      return Outcome.ERROR;
    }
  }
}
