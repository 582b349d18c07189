package org.voxca.server.assembly;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.voxca.ca.CaLifecycle;
import org.voxca.ca.CaSettings;
import org.voxca.ca.ManagedCa;
import org.voxca.ca.autosign.AutosignPolicy;
import org.voxca.config.VoxcaConfig;
import org.voxca.pki.Issuer;
import org.voxca.store.CaStore;
import org.voxca.store.HostIdentityStore.HostIdentity;
import org.voxca.store.postgres.PgDatabase;
import org.voxca.store.postgres.PostgresStore;
import org.voxca.store.puppetdir.CaPaths;
import org.voxca.store.puppetdir.PuppetCaDirectory;
import org.voxca.store.puppetdir.PuppetSslDir;
import org.voxca.store.puppetdir.SslPaths;

/**
 * The one assembly of a configuration into the CA's parts — paths, settings, store, host identity,
 * autosign policy, the CA itself — shared by {@code voxca serve} and the offline CLI verbs, so both
 * open the same directory the same way.
 */
public final class CaAssembly {
  private AuditLog auditLog;
  private final VoxcaConfig config;
  private final Clock clock;

  public CaAssembly(VoxcaConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
  }

  public VoxcaConfig config() {
    return config;
  }

  public Clock clock() {
    return clock;
  }

  public CaSettings settings() {
    VoxcaConfig.Ca c = config.ca();
    return new CaSettings(
        c.certname(),
        c.caName(),
        c.caTtl(),
        c.keyLength(),
        c.dnsAltNames(),
        c.allowDuplicateCerts(),
        c.allowSubjectAltNames(),
        c.allowAuthorizationExtensions(),
        c.allowAutoRenewal(),
        c.autoRenewalCertTtl(),
        c.enableInfraCrl(),
        c.minRsaKeyBits(),
        c.keyType().equals("ec") ? jdkCurve(c.namedCurve()) : null,
        c.crlTtl(),
        c.ocspUrl());
  }

  /** OpenSSL's curve names as Puppet writes them, in the JDK's words. */
  private static String jdkCurve(String puppetName) {
    return puppetName.equals("prime256v1") ? "secp256r1" : puppetName;
  }

  public CaPaths caPaths() {
    VoxcaConfig.Store s = config.store();
    return new CaPaths(
        s.cadir(),
        s.cacert(),
        s.cakey(),
        s.capub(),
        s.cacrl(),
        s.csrdir(),
        s.signeddir(),
        s.serial(),
        s.inventory());
  }

  public SslPaths sslPaths() {
    VoxcaConfig.Ssl s = config.ssl();
    return new SslPaths(
        s.ssldir(), s.hostcert(), s.hostprivkey(), s.hostpubkey(), s.localcacert(), s.hostcrl());
  }

  /** Opens the CA directory under its OS lock (throws DirLock.DirLockedException while held). */
  public PuppetCaDirectory openStore() {
    return new PuppetCaDirectory(caPaths(), config.store().randomSerials());
  }

  /**
   * The configured store: the CA directory, or the PostgreSQL database shared by replicas (its
   * schema migrated first; the CA keys in the cadir).
   */
  public CaStore openConfiguredStore() {
    VoxcaConfig.Database d = config.store().database();
    if (d == null) {
      return openStore();
    }
    return openDatabase(d.url(), d.user(), d.passwordFile());
  }

  /** The database store at {@code url} (schema migrated), the CA keys in the configured cadir. */
  public PostgresStore openDatabase(String url, String user, Path passwordFile) {
    return new PostgresStore(
        PgDatabase.open(url, user, password(passwordFile)),
        config.store().cadir(),
        config.store().randomSerials());
  }

  private static String password(Path file) {
    if (file == null) {
      return null;
    }
    try {
      return Files.readString(file).strip();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the database password file " + file, e);
    }
  }

  public PuppetSslDir sslDir() {
    return new PuppetSslDir(sslPaths());
  }

  public AutosignPolicy autosign() {
    return AutosignPolicy.fromSetting(
        config.ca().autosign(),
        config.limits().autosignTimeout(),
        config.limits().autosignMaxConcurrent());
  }

  /** A fresh CA in an empty directory, or the complete one found there. */
  public Issuer initializeOrAdopt(CaStore store) {
    return initializeOrAdopt(
        store, config.ca().twoLevel() ? CaLifecycle.defaultRootCaName() : null);
  }

  /** A new CA is two-level, its root named {@code rootCaName}, when that is not null. */
  public Issuer initializeOrAdopt(CaStore store, String rootCaName) {
    return CaLifecycle.initializeOrAdopt(store, settings(), clock, rootCaName);
  }

  /** The server's own certificate in the ssldir, issued when missing. */
  public HostIdentity ensureHostIdentity(PuppetSslDir ssl, CaStore store, Issuer issuer) {
    return CaLifecycle.ensureHostIdentity(ssl, store, issuer, settings(), clock);
  }

  /** The server's ECDSA certificate beside the main one, issued when missing. */
  public HostIdentity ensureEcdsaHostIdentity(PuppetSslDir ssl, CaStore store, Issuer issuer) {
    return CaLifecycle.ensureEcdsaHostIdentity(ssl, store, issuer, settings(), clock);
  }

  /** The CA over {@code store}, its changes appended to the audit log when one is configured. */
  public ManagedCa ca(CaStore store, Issuer issuer, AutosignPolicy autosign) {
    ManagedCa ca = ManagedCa.over(store, issuer, settings(), autosign, clock);
    Path audit = config.operations().auditLog();
    if (audit != null) {
      ca.addEventListener(auditLog(audit));
    }
    return ca;
  }

  /** Closes what the assembly opened for the CA (the audit log). */
  public synchronized void close() {
    if (auditLog != null) {
      auditLog.close();
      auditLog = null;
    }
  }

  private synchronized AuditLog auditLog(Path path) {
    if (auditLog == null) {
      auditLog = AuditLog.open(path);
    }
    return auditLog;
  }
}
