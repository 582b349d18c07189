package org.voxca.server;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voxca.ca.CaUpkeep;
import org.voxca.store.Indexed;
import org.voxca.store.Replicated;

/** The CA's upkeep on one daemon thread, for as long as the server runs. */
final class Upkeep {
  private static final Logger LOG = LoggerFactory.getLogger(Upkeep.class);

  private Upkeep() {}

  /**
   * Every second: edits of the CA files on disk; every hour (more often for a short {@code
   * crl-ttl}: a twelfth of it): CRLs close to their nextUpdate.
   */
  static ScheduledExecutorService schedule(
      CaUpkeep ca, Indexed index, Duration crlTtl, Metrics metrics) {
    long crlCheckSeconds = Math.max(30, Math.min(3600, crlTtl.toSeconds() / 12));
    ScheduledExecutorService scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "voxca-trust-watch");
              t.setDaemon(true);
              return t;
            });
    RepeatedFailure refresh = new RepeatedFailure(LOG, "Trust or index refresh");
    scheduler.scheduleWithFixedDelay(
        () -> {
          try {
            ca.refreshTrust();
            index.refreshIfChanged();
            ca.checkKeys();
            if (metrics != null) {
              metrics.tick();
            }
            refresh.succeeded();
          } catch (RuntimeException e) {
            refresh.failed(e);
          }
        },
        1,
        1,
        TimeUnit.SECONDS);
    scheduler.scheduleWithFixedDelay(
        () -> {
          try {
            ca.ensureInfraCrl();
            ca.refreshCrl();
          } catch (RuntimeException e) {
            LOG.error("CRL refresh failed; will retry in {} s", crlCheckSeconds, e);
          }
        },
        crlCheckSeconds,
        crlCheckSeconds,
        TimeUnit.SECONDS);
    scheduler.scheduleWithFixedDelay(
        () -> {
          try {
            ca.warnIfCaExpiring();
          } catch (RuntimeException e) {
            LOG.warn("CA expiry check failed: {}", e.toString());
          }
        },
        0,
        1,
        TimeUnit.DAYS);
    return scheduler;
  }

  /**
   * Says this replica is alive now and every {@link Replicated#HEARTBEAT} (the console's health
   * lists each replica's last heartbeat); a failure is logged once per run of failures.
   */
  static void heartbeat(ScheduledExecutorService scheduler, Replicated store, String name) {
    RepeatedFailure beat = new RepeatedFailure(LOG, "Replica heartbeat");
    scheduler.scheduleWithFixedDelay(
        () -> {
          try {
            store.seen(name);
            beat.succeeded();
          } catch (RuntimeException e) {
            beat.failed(e);
          }
        },
        0,
        Replicated.HEARTBEAT.toSeconds(),
        TimeUnit.SECONDS);
  }

  /** This replica's name: the machine's host name and the CA's port (the certname without one). */
  static String replicaName(String certname, int port) {
    String host;
    try {
      host =
          java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname")).trim();
    } catch (java.io.IOException | RuntimeException e) {
      host = "";
    }
    return (host.isEmpty() ? certname : host) + ":" + port;
  }
}
