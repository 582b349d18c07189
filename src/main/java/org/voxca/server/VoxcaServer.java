package org.voxca.server;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voxca.ca.CaBootstrap;
import org.voxca.ca.CaSettings;
import org.voxca.ca.DefaultCertificateAuthority;
import org.voxca.ca.autosign.AutosignPolicy;
import org.voxca.config.VoxcaConfig;
import org.voxca.http.AccessRules;
import org.voxca.http.CaRouter;
import org.voxca.http.Identities;
import org.voxca.http.PlainTextErrorHandler;
import org.voxca.pki.Certificates;
import org.voxca.pki.Issuer;
import org.voxca.pki.Keys;
import org.voxca.store.HostIdentityStore.HostIdentity;
import org.voxca.store.puppetdir.CaPaths;
import org.voxca.store.puppetdir.ConsistencyCheck;
import org.voxca.store.puppetdir.PuppetCaDirectory;
import org.voxca.store.puppetdir.PuppetSslDir;
import org.voxca.store.puppetdir.SslPaths;
import org.voxca.tls.LiveTrustSslContextFactory;

/**
 * The composition root: opens the CA directory, creates or adopts the CA, issues the server's
 * own certificate, and serves HTTPS on Jetty. The only class that chooses implementations.
 */
public final class VoxcaServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(VoxcaServer.class);

  private final VoxcaConfig config;
  private final PuppetCaDirectory store;
  private final DefaultCertificateAuthority ca;
  private final Server jetty;
  private final ServerConnector connector;
  private final ScheduledExecutorService scheduler;

  private VoxcaServer(VoxcaConfig config, PuppetCaDirectory store, DefaultCertificateAuthority ca,
      Server jetty, ServerConnector connector, ScheduledExecutorService scheduler) {
    this.config = config;
    this.store = store;
    this.ca = ca;
    this.jetty = jetty;
    this.connector = connector;
    this.scheduler = scheduler;
  }

  /** Builds and starts the server; on failure releases everything it took. */
  public static VoxcaServer start(VoxcaConfig c) throws Exception {
    long t0 = System.nanoTime();
    AccessRules rules = c.authRules() == null ? AccessRules.defaults()
        : AccessRules.fromAuthConf(c.authRules(), c.trustedOidShortNames());
    PuppetCaDirectory store = new PuppetCaDirectory(new CaPaths(c.cadir(), c.cacert(), c.cakey(), c.capub(),
        c.cacrl(), c.csrdir(), c.signeddir(), c.serial(), c.inventory()), c.randomSerials());
    try {
      CaSettings settings = caSettings(c);
      Clock clock = Clock.systemUTC();
      Issuer issuer = CaBootstrap.initializeOrAdopt(store, settings, clock);
      store.ensureDirectories();
      ConsistencyCheck.Report check = ConsistencyCheck.run(store.paths(), true);
      check.problems().forEach(p -> LOG.warn("CA directory check: {}", p));
      check.repairs().forEach(r -> LOG.warn("CA directory repaired: {}", r));
      PuppetSslDir ssl = new PuppetSslDir(new SslPaths(c.ssldir(), c.hostcert(), c.hostprivkey(),
          c.hostpubkey(), c.localcacert(), c.hostcrl()));
      HostIdentity host = CaBootstrap.ensureHostIdentity(ssl, store, issuer, settings, clock,
          c.hostcert().toString(), c.hostprivkey().toString());
      AutosignPolicy autosign = AutosignPolicy.fromSetting(c.autosign(), c.autosignTimeout(), c.autosignMaxConcurrent());
      DefaultCertificateAuthority ca = new DefaultCertificateAuthority(store, issuer, settings, autosign, clock);
      ca.ensureInfraCrl();
      ca.refreshCrl();
      ssl.updateTrust(ca.caBundle().bytes(), ca.fullCrl().bytes());
      ca.addTrustListener(bundle -> ssl.updateTrust(ca.caBundle().bytes(), ca.fullCrl().bytes()));

      X509Certificate hostCert = Certificates.readCertificates(host.certificatePem()).get(0);
      LiveTrustSslContextFactory tls = new LiveTrustSslContextFactory(hostCert,
          Keys.readKeyPair(host.privateKeyPem()).getPrivate(), ca.trustedCertificates(), ca::isRevoked);
      ca.addTrustListener(tls);

      QueuedThreadPool pool = new QueuedThreadPool(200, 8);
      pool.setName("voxca-http");
      // buffers kept for reuse are bounded (by default Jetty may keep an eighth of the heap)
      Server jetty = new Server(pool, null, new org.eclipse.jetty.io.ArrayByteBufferPool(0, -1, -1, -1, 4L << 20, 16L << 20));
      HttpConfiguration http = new HttpConfiguration();
      http.setSendServerVersion(false);
      http.setSendDateHeader(true);
      SecureRequestCustomizer src = new SecureRequestCustomizer();
      src.setSniHostCheck(false);
      http.addCustomizer(src);
      ServerConnector connector = new ServerConnector(jetty,
          new SslConnectionFactory(tls, "http/1.1"), new HttpConnectionFactory(http));
      connector.setHost(c.host());
      connector.setPort(c.port());
      connector.setIdleTimeout(30_000);
      jetty.addConnector(connector);
      jetty.setHandler(new CaRouter(ca, rules, new Identities(c.allowHeaderCertInfo(), ca), c.maxBodyBytes()));
      jetty.setErrorHandler(new PlainTextErrorHandler());
      jetty.start();
      store.startIndexing().thenRun(ca::prepareRevocations).exceptionally(e -> {
        LOG.error("Building the in-memory indexes failed; listings will retry", e);
        return null;
      });

      ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "voxca-trust-watch");
        t.setDaemon(true);
        return t;
      });
      scheduler.scheduleWithFixedDelay(() -> {
        try {
          ca.refreshTrust();
          store.refreshIndexIfChanged();
        } catch (RuntimeException e) {
          LOG.warn("Trust or index refresh failed: {}", e.toString());
        }
      }, 1, 1, TimeUnit.SECONDS);
      scheduler.scheduleWithFixedDelay(() -> {
        try {
          ca.ensureInfraCrl();
          ca.refreshCrl();
        } catch (RuntimeException e) {
          LOG.error("CRL refresh failed; will retry in an hour", e);
        }
      }, 1, 1, TimeUnit.HOURS);
      LOG.info("voxca CA '{}' serving https://{}:{} (cadir {}) — started in {} ms",
          issuer.certificate().getSubjectX500Principal().getName(), c.host(), connector.getLocalPort(),
          c.cadir(), (System.nanoTime() - t0) / 1_000_000);
      return new VoxcaServer(c, store, ca, jetty, connector, scheduler);
    } catch (Exception | Error e) {
      store.close();
      throw e;
    }
  }

  static CaSettings caSettings(VoxcaConfig c) {
    return new CaSettings(c.certname(), c.caName(), c.caTtl(), c.keyLength(), c.dnsAltNames(),
        c.allowDuplicateCerts(), c.allowSubjectAltNames(), c.allowAuthorizationExtensions(),
        c.allowAutoRenewal(), c.autoRenewalCertTtl(), c.enableInfraCrl());
  }

  public int port() {
    return connector.getLocalPort();
  }

  public VoxcaConfig config() {
    return config;
  }

  public DefaultCertificateAuthority ca() {
    return ca;
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    try {
      jetty.stop();
    } catch (Exception e) {
      LOG.warn("Error stopping Jetty: {}", e.toString());
    }
    store.close();
  }
}
