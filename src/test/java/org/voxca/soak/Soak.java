package org.voxca.soak;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.voxca.testing.PrivatePostgres;
import org.voxca.testing.RawTls;
import org.voxca.testing.Scrape;

/**
 * An endurance run against a real voxca process: warm up, measure the server at rest (the
 * baseline), then mixed traffic for {@code length} — agents bootstrapping, renewing, being revoked,
 * OCSP, CRL 304s, listings, a stream of short clean connections, aborted and slow handshakes from
 * another address, and on PostgreSQL the engine stopped and started mid-run — sampled every five
 * seconds; then rest again and measure. The result says what was refused and whether descriptors,
 * threads, connections and the heap came back.
 */
public final class Soak {
  private Soak() {}

  /** {@code postgres}: the store is a private PostgreSQL cluster, restarted mid-run. */
  public record Options(Duration length, boolean postgres, Path work, int agents) {}

  /** The server at one instant, and the clients' totals so far. */
  public record Sample(
      long second,
      long requests,
      long connections,
      long failures,
      int descriptors,
      int threads,
      double openConnections,
      double heapMb) {}

  public record Result(
      Sample baseline,
      Sample end,
      List<Sample> samples,
      long requests,
      long connections,
      long failures,
      List<String> failureExamples,
      long outageAnswers,
      long hostileConnections,
      double refusedPerAddress,
      double handshakeTimeouts,
      int acknowledged,
      long issued,
      List<String> missing) {

    /**
     * The heap the run may keep for good: the CA's in-memory indexes hold every certificate issued
     * (about 1.3 KB each, measured), so 2 KB a certificate issued during the run.
     */
    public double heapAllowanceMb() {
      return issued * 2.0 / 1024;
    }
  }

  public static Result run(Options o) throws Exception {
    PrivatePostgres pg = o.postgres() ? PrivatePostgres.start() : null;
    try (SoakServer server =
        SoakServer.start(o.work(), pg == null ? "" : pg.hocon(o.work().resolve("pg")))) {
      Tally tally = new Tally();
      long warm = Math.max(10, Math.min(30, o.length().toSeconds() / 10));
      load(server, tally, o, "warm", Duration.ofSeconds(warm), null, null, 0);
      Sample baseline = rest(server, tally, 0);
      List<Sample> samples = new ArrayList<>();
      samples.add(baseline);
      long t0 = System.nanoTime();
      load(server, tally, o, "soak", o.length(), samples, pg, t0);
      Sample end = rest(server, tally, (System.nanoTime() - t0) / 1_000_000_000L);
      samples.add(end);
      List<String> missing = new ArrayList<>();
      for (String name : tally.acknowledged) {
        try (RawTls t = RawTls.open(server.port, server.anonymous, null)) {
          if (t.exchange("GET", "/puppet-ca/v1/certificate/" + name, null).status() != 200) {
            missing.add(name);
          }
        }
      }
      Map<String, Double> m = server.scrape();
      return new Result(
          baseline,
          end,
          samples,
          tally.requests.sum(),
          tally.connections.sum(),
          tally.failures.sum(),
          tally.examples(),
          tally.outageAnswers.sum(),
          tally.hostile.sum(),
          Scrape.value(m, "voxca_connections_refused_total", "per_address"),
          Scrape.value(m, "voxca_connections_refused_total", "handshake_timeout"),
          tally.acknowledged.size(),
          tally.issued.sum(),
          missing);
    } finally {
      if (pg != null) {
        pg.close();
      }
    }
  }

  /** Every load for {@code length}, sampling every 5 s; on PostgreSQL a restart at 40%. */
  private static void load(
      SoakServer server,
      Tally tally,
      Options o,
      String round,
      Duration length,
      List<Sample> samples,
      PrivatePostgres pg,
      long t0)
      throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    SoakAgents agents = new SoakAgents(server, tally);
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < o.agents(); w++) {
      int worker = w;
      threads.add(new Thread(() -> agents.agents(worker, round, stop), "soak-agent-" + w));
    }
    for (int c = 0; c < 2; c++) {
      threads.add(new Thread(() -> agents.shortConnections(stop), "soak-short-" + c));
    }
    threads.add(new Thread(() -> new SoakHostile(server.port, tally).run(stop), "soak-hostile"));
    threads.forEach(Thread::start);
    long start = System.nanoTime();
    long end = start + length.toNanos();
    long restartAt = start + length.toNanos() * 2 / 5;
    boolean restarted = pg == null || samples == null;
    while (System.nanoTime() < end) {
      Thread.sleep(Math.min(5000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
      if (!restarted && System.nanoTime() >= restartAt) {
        restarted = true;
        tally.outageBegins();
        pg.stop();
        Thread.sleep(3000);
        pg.startAgain();
        tally.restarted();
      }
      if (samples != null) {
        samples.add(sample(server, tally, (System.nanoTime() - t0) / 1_000_000_000L, false));
      }
    }
    stop.set(true);
    for (Thread t : threads) {
      t.join(60_000);
    }
  }

  /** The server once the load has stopped: slow handshakes closed, a full collection done. */
  private static Sample rest(SoakServer server, Tally tally, long second) throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < deadline
        && Scrape.value(server.scrape(), "voxca_connections_open") > 0) {
      Thread.sleep(250);
    }
    Thread.sleep(1000);
    return sample(server, tally, second, true);
  }

  private static Sample sample(SoakServer server, Tally tally, long second, boolean collect)
      throws Exception {
    return new Sample(
        second,
        tally.requests.sum(),
        tally.connections.sum(),
        tally.failures.sum(),
        server.descriptors(),
        server.threads(),
        Scrape.value(server.scrape(), "voxca_connections_open"),
        server.heapMb(collect));
  }
}
