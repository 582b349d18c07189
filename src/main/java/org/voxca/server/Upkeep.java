package org.voxca.server;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voxca.ca.CaUpkeep;
import org.voxca.store.Indexed;

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
}
