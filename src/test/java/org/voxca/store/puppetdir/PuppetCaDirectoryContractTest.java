package org.voxca.store.puppetdir;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.store.CaStore;
import org.voxca.store.CaStoreContract;

/**
 * The store contract on the Puppet CA directory: one process at a time (a second open is {@code
 * CaInUse} until the first closes); a {@code requests/} that is no directory makes writes fail.
 */
class PuppetCaDirectoryContractTest extends CaStoreContract {
  @TempDir Path dir;

  private Path cadir() {
    return dir.resolve("ca");
  }

  @Override
  protected CaStore openEmpty() {
    PuppetCaDirectory d = new PuppetCaDirectory(CaPaths.under(cadir()));
    d.ensureDirectories();
    return d;
  }

  @Override
  protected CaStore openSecond(CaStore first) {
    return new PuppetCaDirectory(CaPaths.under(cadir()));
  }

  @Override
  protected boolean breakStorage() throws Exception {
    Path requests = cadir().resolve("requests");
    Files.delete(requests);
    Files.writeString(requests, "not a directory");
    return true;
  }

  @Override
  protected void repairStorage() throws Exception {
    Path requests = cadir().resolve("requests");
    Files.delete(requests);
    Files.createDirectory(requests);
  }
}
