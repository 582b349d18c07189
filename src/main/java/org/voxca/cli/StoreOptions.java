package org.voxca.cli;

import java.nio.file.Path;
import org.voxca.server.assembly.CaAssembly;
import org.voxca.store.postgres.PostgresStore;
import picocli.CommandLine.Option;

/** The database role and password of the verbs that name a PostgreSQL store on the command line. */
final class StoreOptions {
  @Option(names = "--store-user", defaultValue = "voxca", description = "The database role")
  String user;

  @Option(names = "--store-password-file", description = "A file holding the role's password")
  Path passwordFile;

  PostgresStore open(CaAssembly parts, String url) {
    return parts.openDatabase(url, user, passwordFile);
  }
}
