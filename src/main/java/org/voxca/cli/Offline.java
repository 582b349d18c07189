package org.voxca.cli;

import java.time.Clock;
import org.voxca.ca.CaBootstrap;
import org.voxca.ca.CaSettings;
import org.voxca.config.VoxcaConfig;
import org.voxca.pki.Issuer;
import org.voxca.store.puppetdir.CaPaths;
import org.voxca.store.puppetdir.PuppetCaDirectory;
import org.voxca.store.puppetdir.PuppetSslDir;
import org.voxca.store.puppetdir.SslPaths;

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
  static int locked(VoxcaConfig c, Work work) throws Exception {
    PuppetCaDirectory store;
    try {
      store = open(c);
    } catch (org.voxca.store.puppetdir.DirLock.DirLockedException e) {
      System.err.println("Error: " + e.getMessage() + "; stop the server first");
      return Outcome.ERROR;
    }
    try (store) {
      return work.run(store);
    } catch (CaBootstrap.StartupException | org.voxca.ca.CaException e) {
      System.err.println("Error: " + e.getMessage());
      return Outcome.ERROR;
    }
  }

  /** Opens the CA directory; throws DirLock.DirLockedException while a server holds it. */
  static PuppetCaDirectory open(VoxcaConfig c) {
    return new PuppetCaDirectory(new CaPaths(c.cadir(), c.cacert(), c.cakey(), c.capub(), c.cacrl(),
        c.csrdir(), c.signeddir(), c.serial(), c.inventory()), c.randomSerials());
  }

  /** The CA over an existing, complete directory; null (after printing why) when there is none. */
  static org.voxca.ca.DefaultCertificateAuthority existingCa(PuppetCaDirectory store, VoxcaConfig c) {
    if (!store.layout().complete()) {
      System.err.println("Error: no complete CA in " + c.cadir() + " (missing " + String.join(", ", store.layout().missing()) + ")");
      return null;
    }
    Issuer issuer = CaBootstrap.initializeOrAdopt(store, settings(c), Clock.systemUTC());
    return new org.voxca.ca.DefaultCertificateAuthority(store, issuer, settings(c),
        org.voxca.ca.autosign.AutosignPolicy.NEVER, Clock.systemUTC());
  }

  static CaSettings settings(VoxcaConfig c) {
    return new CaSettings(c.certname(), c.caName(), c.caTtl(), c.keyLength(), c.dnsAltNames(),
        c.allowDuplicateCerts(), c.allowSubjectAltNames(), c.allowAuthorizationExtensions(),
        c.allowAutoRenewal(), c.autoRenewalCertTtl(), c.enableInfraCrl());
  }

  /** Directories, the server's own certificate, and the ssldir's copies of the CA bundle and CRL. */
  static void finish(PuppetCaDirectory store, Issuer issuer, VoxcaConfig c) {
    store.ensureDirectories();
    PuppetSslDir ssl = new PuppetSslDir(new SslPaths(c.ssldir(), c.hostcert(), c.hostprivkey(), c.hostpubkey(),
        c.localcacert(), c.hostcrl()));
    CaBootstrap.ensureHostIdentity(ssl, store, issuer, settings(c), Clock.systemUTC(), c.hostcert().toString(),
        c.hostprivkey().toString());
    ssl.updateTrust(store.caBundle().bytes(), store.crlChain().bytes());
  }
}
