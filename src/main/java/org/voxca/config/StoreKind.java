package org.voxca.config;

import java.nio.file.Path;

/**
 * Which store holds the CA's records ({@code voxca { store { type } }}): the Puppet CA directory,
 * or a PostgreSQL database shared by replicas. Either way the CA's private keys stay in the cadir.
 */
public sealed interface StoreKind permits StoreKind.Directory, StoreKind.Postgres {

  /** The CA directory in Puppet's layout ({@code type: directory}, the default). */
  record Directory() implements StoreKind {}

  /**
   * A PostgreSQL database ({@code type: postgres, url, user, password-file}); no password file: the
   * driver's own means (a {@code .pgpass}, trust).
   */
  record Postgres(String url, String user, Path passwordFile) implements StoreKind {}
}
