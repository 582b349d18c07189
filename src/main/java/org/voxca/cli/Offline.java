package org.voxca.cli;

import org.voxca.assembly.CaAssembly;
import org.voxca.ca.Actor;
import org.voxca.ca.CaException;
import org.voxca.ca.ManagedCa;
import org.voxca.ca.StartupException;
import org.voxca.ca.autosign.AutosignPolicy;
import org.voxca.config.StoreKind;
import org.voxca.pki.Issuer;
import org.voxca.store.CaInUse;
import org.voxca.store.CaStore;
import org.voxca.store.HostIdentityStore;
import org.voxca.store.StoreCapabilities;

/**
 * The offline side: the configured store opened by the verb itself — the CA directory under its OS
 * lock (so a running server keeps it), or the database that replicas share (whose locks every
 * replica honours, so a verb may run beside them; they see its changes through notifications).
 */
final class Offline {
  private Offline() {}

  /** A verb's work on the opened store; returns the exit code. */
  @FunctionalInterface
  interface Work {
    int run(CaStore store) throws Exception;
  }

  /**
   * Runs {@code work} on the configured store, refusing (exit 1, one line) while a server holds the
   * CA directory; CA start-up refusals are printed as one line too.
   */
  static int locked(CaAssembly parts, Work work) throws Exception {
    return opened(parts, parts::openStore, work);
  }

  /** As {@link #locked(CaAssembly, Work)}, always on the CA directory (migrate reads it). */
  static int directory(CaAssembly parts, Work work) throws Exception {
    return opened(parts, () -> parts.openStore(new StoreKind.Directory()), work);
  }

  private static int opened(CaAssembly parts, java.util.function.Supplier<CaStore> open, Work work)
      throws Exception {
    CaStore store;
    try {
      store = open.get();
    } catch (CaInUse e) {
      System.err.println("Error: " + e.getMessage() + "; stop the server first");
      return Outcome.ERROR;
    }
    return locked(parts, work, store);
  }

  /** As {@link #locked(CaAssembly, Work)} on a store already opened (and locked). */
  static int locked(CaAssembly parts, Work work, CaStore store) throws Exception {
    try (store;
        Actor.Scope actor = Actor.enter("cli:" + System.getProperty("user.name", "unknown"))) {
      return work.run(store);
    } catch (StartupException | CaException e) {
      System.err.println("Error: " + e.getMessage());
      return Outcome.ERROR;
    }
  }

  /** The CA over an existing, complete directory; null (after printing why) when there is none. */
  static ManagedCa existingCa(CaStore store, CaAssembly parts) {
    if (!complete(store)) {
      return null;
    }
    return parts.ca(store, parts.initializeOrAdopt(store), AutosignPolicy.NEVER);
  }

  /** Whether the store holds a complete CA; when not, prints what is missing. */
  static boolean complete(CaStore store) {
    if (store.documents().layout().complete()) {
      return true;
    }
    System.err.println(
        "Error: no complete CA in "
            + store.location()
            + " (missing "
            + String.join(", ", store.documents().layout().missing())
            + ")");
    return false;
  }

  /**
   * The store made ready (the directory's subdirectories), the server's own certificate, and the
   * ssldir's copies of the CA bundle and CRL.
   */
  static void finish(CaStore store, Issuer issuer, CaAssembly parts) {
    StoreCapabilities.of(store).checkable().prepare();
    HostIdentityStore ssl = parts.sslDir();
    parts.ensureHostIdentity(ssl, store, issuer);
    ssl.updateTrust(store.documents().caBundle().bytes(), store.documents().crlChain().bytes());
  }
}
