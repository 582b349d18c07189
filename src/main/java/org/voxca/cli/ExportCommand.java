package org.voxca.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.voxca.assembly.CaAssembly;
import org.voxca.assembly.StoreCopy;
import org.voxca.config.StoreKind;
import org.voxca.files.AtomicFiles;
import org.voxca.pki.TokenReference;
import org.voxca.store.CaStore;
import org.voxca.store.KeyProtection;
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

  @Option(
      names = "--plain-key",
      description = "Write an encrypted CA key in clear, for Puppet Server (it says so)")
  boolean plainKey;

  private static void writeKey(Path file, KeyProtection keys, String plainPem) {
    String text = TokenReference.is(plainPem) ? plainPem : keys.seal(plainPem);
    AtomicFiles.write(file, text.getBytes(StandardCharsets.US_ASCII), AtomicFiles.PRIVATE);
  }

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
      // the keys, wherever the database's replicas keep them: sealed as configured, or plain on
      // request (Puppet Server reads only plain keys)
      KeyProtection keys = plainKey ? KeyProtection.PLAIN : parts.keyProtection();
      String caKey = db.documents().readCa().privateKeyPem();
      writeKey(to.resolve("ca_key.pem"), keys, caKey);
      db.documents().rootKey().ifPresent(r -> writeKey(to.resolve("root_key.pem"), keys, r));
      System.out.println("Exported the CA to " + to + ": " + n.summary() + " (counts verified)");
      if (TokenReference.is(caKey)) {
        System.out.println(
            "The CA key lives in a PKCS#11 token: ca_key.pem in "
                + to
                + " only names it, and Puppet Server cannot use it (it needs the key as a file)");
      }
      if (plainKey && parts.keyProtection().encrypts()) {
        System.out.println(
            "The CA key is written in clear in " + to + " (--plain-key): protect or shred it");
      }
      return Outcome.OK;
    } catch (IllegalStateException e) {
      System.err.println("Error: " + e.getMessage());
      return Outcome.ERROR;
    }
  }
}
