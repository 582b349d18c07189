package org.voxca.server;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import org.eclipse.jetty.server.Handler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voxca.assembly.CaAssembly;
import org.voxca.ca.ManagedCa;
import org.voxca.config.VoxcaConfig;
import org.voxca.http.AccessRules;
import org.voxca.http.CaRouter;
import org.voxca.http.HttpLimits;
import org.voxca.http.Identities;
import org.voxca.http.Warmup;
import org.voxca.http.console.Console;
import org.voxca.http.console.Sources;
import org.voxca.pki.Certificates;
import org.voxca.pki.Issuer;
import org.voxca.pki.Keys;
import org.voxca.store.CaStore;
import org.voxca.store.HostIdentityStore;
import org.voxca.store.HostIdentityStore.HostIdentity;
import org.voxca.store.StoreCapabilities;
import org.voxca.tls.LiveTrustSslContextFactory;
import org.voxca.tls.TlsEngine;

/**
 * The composition root: opens the CA directory, creates or adopts the CA, issues the server's own
 * certificate, and serves HTTPS on Jetty. The only class that chooses implementations.
 */
public final class VoxcaServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(VoxcaServer.class);

  private final VoxcaConfig config;
  private final CaStore store;
  private final ManagedCa ca;
  private final Jetty jetty;
  private final ScheduledExecutorService scheduler;
  private final Health health;
  private final CaAssembly parts;
  private final Metrics metrics;

  private VoxcaServer(
      CaAssembly parts,
      VoxcaConfig config,
      CaStore store,
      ManagedCa ca,
      Jetty jetty,
      ScheduledExecutorService scheduler,
      Health health,
      Metrics metrics) {
    this.metrics = metrics;
    this.health = health;
    this.parts = parts;
    this.config = config;
    this.store = store;
    this.ca = ca;
    this.jetty = jetty;
    this.scheduler = scheduler;
  }

  /** Builds and starts the server; on failure releases everything it took. */
  public static VoxcaServer start(VoxcaConfig c) throws Exception {
    long t0 = System.nanoTime();
    CaAssembly parts = new CaAssembly(c, Clock.systemUTC());
    AccessRules rules =
        c.auth().rules() == null
            ? AccessRules.defaults()
            : AccessRules.fromAuthConf(c.auth().rules(), c.auth().trustedOidShortNames());
    CaStore store = parts.openStore();
    StoreCapabilities can = StoreCapabilities.of(store);
    Metrics metrics = null;
    try {
      Issuer issuer = parts.initializeOrAdopt(store);
      can.checkable().prepare().forEach(line -> LOG.warn("{}", line));
      // the in-memory indexes load beside the rest of the start (readiness waits for them)
      CompletableFuture<Void> indexing = can.indexed().startIndexing();
      HostIdentityStore ssl = parts.sslDir();
      HostIdentity host = parts.ensureHostIdentity(ssl, store, issuer);
      ManagedCa ca = parts.ca(store, issuer, parts.autosign());
      ca.upkeep().ensureInfraCrl();
      ca.upkeep().refreshCrl();
      ssl.updateTrust(ca.caBundle().bytes(), ca.fullCrl().bytes());
      ca.addTrustListener(bundle -> ssl.updateTrust(ca.caBundle().bytes(), ca.fullCrl().bytes()));
      List<HostIdentity> identities = new ArrayList<>(List.of(host));
      boolean rsaHost =
          Certificates.readCertificates(host.certificatePem())
              .get(0)
              .getPublicKey()
              .getAlgorithm()
              .equals("RSA");
      if (c.webserver().ecdsaServerCertificate() && rsaHost) {
        identities.add(parts.ensureEcdsaHostIdentity(ssl, store, issuer));
      }
      String tlsProvider = TlsEngine.select(c.webserver().tlsEngine());
      List<LiveTrustSslContextFactory> tls = new ArrayList<>();
      if (tlsProvider != null && identities.size() > 1) {
        // BoringSSL holds one certificate per handshake: one TLS context per certificate, the
        // ECDSA one first, chosen for each connection from its ClientHello (CertificateChoice)
        for (HostIdentity id : List.of(identities.get(1), identities.get(0))) {
          tls.add(
              new LiveTrustSslContextFactory(
                  tlsKeys(List.of(id)), ca.trustedCertificates(), ca::isRevoked));
        }
      } else {
        tls.add(
            new LiveTrustSslContextFactory(
                tlsKeys(identities), ca.trustedCertificates(), ca::isRevoked));
      }
      for (LiveTrustSslContextFactory t : tls) {
        t.setProvider(tlsProvider);
        ca.addTrustListener(t);
      }
      Health health =
          new Health(
              store, () -> ca.issuer().certificate(), ca.upkeep()::keyProblem, Clock.systemUTC());
      Identities clients = new Identities(c.auth().allowHeaderCertInfo(), ca);
      CaRouter api =
          new CaRouter(
              ca,
              rules,
              clients,
              HttpLimits.of(
                  c.limits().maxBodyBytes(),
                  c.limits().bodyTimeout(),
                  c.operations().shedAfter(),
                  c.limits().maxSubmissionsPerAddress()),
              health);
      Handler router =
          c.operations().console()
              ? new Console(
                  api,
                  ca,
                  rules,
                  clients,
                  new Sources(
                      c.operations().auditLog(),
                      health,
                      api::shedCount,
                      can.replicated()::replicas),
                  Clock.systemUTC())
              : api;
      metrics =
          Metrics.start(c.operations().metricsHost(), c.operations().metricsPort(), ca, health);
      Jetty jetty =
          Jetty.start(
              c.webserver(), c.limits(), tls, router, metrics == null ? null : metrics.requests());
      if (metrics != null) {
        metrics.connections(jetty.connections());
      }
      indexing.whenComplete(
          (ok, e) -> {
            if (e != null) {
              LOG.error("Building the in-memory indexes failed; listings will retry", e);
            }
            health.indexed(e == null);
          });
      indexing
          // after readiness: the CA's CRL read ahead for the first revocation (a revocation that
          // comes first reads it itself) and the listing code warmed; then one full collection,
          // so the start-up's garbage (key generation, the index scan) goes and, with the
          // launcher's collector, the heap shrinks to what the CA keeps
          .thenRun(ca.upkeep()::prepareRevocations)
          .thenRun(() -> Warmup.listings(ca))
          .thenRun(System::gc)
          .exceptionally(
              e -> {
                LOG.warn("Preparing for the first revocation and listing failed: {}", e.toString());
                return null;
              });
      can.replicated().onChange(ca.upkeep()::refreshTrust); // another replica's revocation, at once
      ScheduledExecutorService scheduler =
          Upkeep.schedule(ca.upkeep(), can.indexed(), c.ca().rules().crlTtl(), metrics);
      Upkeep.heartbeat(scheduler, can.replicated(), Upkeep.replicaName(c.certname(), jetty.port()));
      LOG.info(
          "voxca CA '{}' serving https://{}:{} (cadir {}) — started in {} ms",
          issuer.certificate().getSubjectX500Principal().getName(),
          c.webserver().host(),
          jetty.port(),
          c.store().cadir(),
          (System.nanoTime() - t0) / 1_000_000);
      return new VoxcaServer(parts, c, store, ca, jetty, scheduler, health, metrics);
    } catch (Exception | Error e) {
      if (metrics != null) {
        metrics.close();
      }
      store.close();
      parts.close();
      throw e;
    }
  }

  private static Map<X509Certificate, PrivateKey> tlsKeys(List<HostIdentity> identities) {
    Map<X509Certificate, PrivateKey> keys = new LinkedHashMap<>();
    for (HostIdentity id : identities) {
      keys.put(
          Certificates.readCertificates(id.certificatePem()).get(0),
          Keys.readKeyPair(id.privateKeyPem()).getPrivate());
    }
    return keys;
  }

  public int port() {
    return jetty.port();
  }

  /** The TLS engine serving HTTPS: {@code native} (BoringSSL) or {@code jdk}. */
  public String tlsEngine() {
    return jetty.tlsProvider() == null ? "jdk" : "native";
  }

  /** The metrics listener's port, or 0 when metrics are off. */
  public int metricsPort() {
    return metrics == null ? 0 : metrics.port();
  }

  public VoxcaConfig config() {
    return config;
  }

  public ManagedCa ca() {
    return ca;
  }

  /**
   * Waits (up to {@code max}) until the first scan of the CA directory has built the indexes, when
   * the status service starts answering {@code running}; true when it did.
   */
  public boolean awaitReady(Duration max) {
    return health.awaitIndexed(max);
  }

  @Override
  public void close() {
    health.stopping();
    scheduler.shutdownNow();
    try { // the other replicas (and an offline rollover finish) know this one is gone
      org.voxca.store.StoreCapabilities.of(store)
          .replicated()
          .stopped(Upkeep.replicaName(config.certname(), jetty.port()));
    } catch (RuntimeException e) {
      LOG.warn("Could not record that this replica stopped: {}", e.toString());
    }
    jetty.stop();
    if (metrics != null) {
      metrics.close();
    }
    store.close();
    parts.close();
  }
}
