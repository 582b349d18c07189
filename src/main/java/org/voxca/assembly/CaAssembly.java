package org.voxca.assembly;

import java.nio.file.Path;
import java.time.Clock;
import org.voxca.ca.CaKeys;
import org.voxca.ca.CaLifecycle;
import org.voxca.ca.CaSettings;
import org.voxca.ca.DefaultCertificateAuthority;
import org.voxca.ca.ManagedCa;
import org.voxca.ca.autosign.AutosignPolicy;
import org.voxca.ca.autosign.AutosignSetting;
import org.voxca.config.StoreKind;
import org.voxca.config.VoxcaConfig;
import org.voxca.pkcs11.TokenConfig;
import org.voxca.pkcs11.TokenKeys;
import org.voxca.pki.Issuer;
import org.voxca.store.CaInUse;
import org.voxca.store.CaStore;
import org.voxca.store.HostIdentityStore;
import org.voxca.store.HostIdentityStore.HostIdentity;
import org.voxca.store.KeyProtection;
import org.voxca.store.Replicated;
import org.voxca.store.StoreCapabilities;
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
  private CaSettings settings;

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

  /** The CA's rules, with where its keys live: files, or the configured PKCS#11 token. */
  public synchronized CaSettings settings() {
    if (settings == null) {
      VoxcaConfig.Pkcs11 p = config.store().pkcs11();
      settings =
          p == null
              ? config.ca().rules()
              : config.ca().rules().toBuilder().keys(TokenKeys.open(token(p))).build();
    }
    return settings;
  }

  /** Keys in the token {@code p} names, opened now (for a key to move into it). */
  public CaKeys tokenKeys(VoxcaConfig.Pkcs11 p) {
    return TokenKeys.open(token(p));
  }

  /** The configured token, its PIN read from the pin file. */
  public static TokenConfig token(VoxcaConfig.Pkcs11 p) {
    return new TokenConfig(
        p.library(),
        p.tokenLabel(),
        p.keyLabel(),
        PasswordFile.pin(p.pinFile()).toCharArray(),
        p.retry());
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

  /** {@code infra_inventory.txt}: the certnames of the infrastructure nodes. */
  public Path infraInventory() {
    return caPaths().infraInventory();
  }

  /** {@code infra_crl.pem}: the infrastructure-only CRL. */
  public Path infraCrl() {
    return caPaths().infraCrl();
  }

  public SslPaths sslPaths() {
    VoxcaConfig.Ssl s = config.ssl();
    return new SslPaths(
        s.ssldir(), s.hostcert(), s.hostprivkey(), s.hostpubkey(), s.localcacert(), s.hostcrl());
  }

  /**
   * The configured store: the CA directory under its OS lock (throws {@link CaInUse} while another
   * process holds it), or the PostgreSQL database shared by replicas (its schema migrated first).
   */
  public CaStore openStore() {
    return openStore(config.store().kind());
  }

  /** The store of {@code kind}; the CA keys are in the configured cadir either way. */
  public CaStore openStore(StoreKind kind) {
    if (kind instanceof StoreKind.Postgres db) {
      return new PostgresStore(
          PgDatabase.open(db.url(), db.user(), PasswordFile.read(db.passwordFile())),
          config.store().cadir(),
          config.store().randomSerials(),
          keyProtection());
    }
    return new PuppetCaDirectory(caPaths(), config.store().randomSerials(), keyProtection());
  }

  /** How the CA keys are kept at rest: plain, or encrypted under the configured passphrase. */
  public KeyProtection keyProtection() {
    Path file = config.store().keyPassphraseFile();
    return file == null
        ? KeyProtection.PLAIN
        : KeyProtection.passphrase(PasswordFile.passphrase(file));
  }

  /** A CA directory in Puppet's default layout under {@code cadir}, for an export to write. */
  public CaStore openDirectory(Path cadir) {
    return new PuppetCaDirectory(CaPaths.under(cadir), config.store().randomSerials());
  }

  public HostIdentityStore sslDir() {
    return new PuppetSslDir(sslPaths());
  }

  public AutosignPolicy autosign() {
    return AutosignSetting.of(
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
  public HostIdentity ensureHostIdentity(HostIdentityStore ssl, CaStore store, Issuer issuer) {
    return CaLifecycle.ensureHostIdentity(ssl, store, issuer, settings(), clock);
  }

  /** The server's ECDSA certificate beside the main one, issued when missing. */
  public HostIdentity ensureEcdsaHostIdentity(HostIdentityStore ssl, CaStore store, Issuer issuer) {
    return CaLifecycle.ensureEcdsaHostIdentity(ssl, store, issuer, settings(), clock);
  }

  /** The CA over {@code store}, its changes appended to the audit log when one is configured. */
  public ManagedCa ca(CaStore store, Issuer issuer, AutosignPolicy autosign) {
    Replicated replicas = StoreCapabilities.of(store).replicated();
    ManagedCa ca =
        new DefaultCertificateAuthority(
            store, replicas, issuer, settings(), autosign, config.ca().gemSecret(), clock);
    Path audit = config.operations().auditLog();
    if (audit != null) {
      ca.addEventListener(auditLog(audit));
    }
    return ca;
  }

  /** Closes what the assembly opened for the CA (the audit log). */
  public synchronized void close() {
    if (settings != null) {
      settings.keys().close();
      settings = null;
    }
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
