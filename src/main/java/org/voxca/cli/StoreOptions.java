package org.voxca.cli;

import java.nio.file.Path;
import org.voxca.assembly.CaAssembly;
import org.voxca.config.StoreKind;
import org.voxca.store.CaStore;
import picocli.CommandLine.Option;

/** The database role and password of the verbs that name a PostgreSQL store on the command line. */
final class StoreOptions {
  @Option(names = "--store-user", defaultValue = "voxca", description = "The database role")
  String user;

  @Option(names = "--store-password-file", description = "A file holding the role's password")
  Path passwordFile;

  /** The database at {@code url}, opened as the configured store would be. */
  CaStore open(CaAssembly parts, String url) {
    return parts.openStore(new StoreKind.Postgres(url, user, passwordFile));
  }
}
