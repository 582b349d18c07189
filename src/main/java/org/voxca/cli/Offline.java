package org.voxca.cli;

import org.voxca.ca.Actor;
import org.voxca.ca.CaException;
import org.voxca.ca.ManagedCa;
import org.voxca.ca.StartupException;
import org.voxca.ca.autosign.AutosignPolicy;
import org.voxca.pki.Issuer;
import org.voxca.server.assembly.CaAssembly;
import org.voxca.store.puppetdir.DirLock;
import org.voxca.store.puppetdir.PuppetCaDirectory;
import org.voxca.store.puppetdir.PuppetSslDir;

/** The offline side: the CA directory opened under its OS lock, so a running server keeps it. */
final class Offline {
  private Offline() {}

  /** A verb's work on the locked CA directory; returns the exit code. */
  @FunctionalInterface
  interface Work {
    int run(PuppetCaDirectory store) throws Exception;
  }

  /**
   * Runs {@code work} on the CA directory under its OS lock, refusing (exit 1, one line) while a
   * server holds it; CA start-up refusals are printed as one line too.
   */
  static int locked(CaAssembly parts, Work work) throws Exception {
    PuppetCaDirectory store;
    try {
      store = parts.openStore();
    } catch (DirLock.DirLockedException e) {
      System.err.println("Error: " + e.getMessage() + "; stop the server first");
      return Outcome.ERROR;
    }
    return locked(parts, work, store);
  }

  /** As {@link #locked(CaAssembly, Work)} on a directory already opened (and locked). */
  static int locked(CaAssembly parts, Work work, PuppetCaDirectory store) throws Exception {
    try (store;
        Actor.Scope actor = Actor.enter("cli:" + System.getProperty("user.name", "unknown"))) {
      return work.run(store);
    } catch (StartupException | CaException e) {
      System.err.println("Error: " + e.getMessage());
      return Outcome.ERROR;
    }
  }

  /** The CA over an existing, complete directory; null (after printing why) when there is none. */
  static ManagedCa existingCa(PuppetCaDirectory store, CaAssembly parts) {
    if (!store.layout().complete()) {
      System.err.println(
          "Error: no complete CA in "
              + parts.config().store().cadir()
              + " (missing "
              + String.join(", ", store.layout().missing())
              + ")");
      return null;
    }
    return parts.ca(store, parts.initializeOrAdopt(store), AutosignPolicy.NEVER);
  }

  /**
   * Directories, the server's own certificate, and the ssldir's copies of the CA bundle and CRL.
   */
  static void finish(PuppetCaDirectory store, Issuer issuer, CaAssembly parts) {
    store.ensureDirectories();
    PuppetSslDir ssl = parts.sslDir();
    parts.ensureHostIdentity(ssl, store, issuer);
    ssl.updateTrust(store.caBundle().bytes(), store.crlChain().bytes());
  }
}
