package org.voxca.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voxca.ca.Actor;
import org.voxca.ca.CaEvent;
import org.voxca.ca.Census;
import org.voxca.ca.ManagedCa;

/**
 * The CA's own metrics: counters moved by {@link CaEvent}s as they happen, and gauges read from a
 * {@link Census} taken in the background — within a few seconds of a change, and at most every
 * {@link #MIN_GAP} — so a scrape never walks the certificates.
 */
final class CaMetrics implements CaEvent.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(CaMetrics.class);
  static final Duration SOON = Duration.ofDays(30);
  static final Duration MIN_GAP = Duration.ofSeconds(2);
  static final Duration MAX_GAP = Duration.ofSeconds(60);
  private final ManagedCa ca;

  /** The counters an event of one kind moves by one. */
  private final Map<CaEvent.Kind, Counter> counters = new EnumMap<>(CaEvent.Kind.class);

  private final MeterRegistry registry;
  private final AtomicReference<Census> census =
      new AtomicReference<>(new Census(0, 0, 0, 0, 0, null));
  private final AtomicBoolean dirty = new AtomicBoolean(true);

  /** Per CA certificate / CRL issuer: a gauge registered once per name, its value replaced. */
  private final Map<String, Double> caNotAfter = new ConcurrentHashMap<>();

  private final Map<String, Double> crlNextUpdate = new ConcurrentHashMap<>();
  private final Timer signature;
  private volatile long lastCensusNanos = System.nanoTime() - MAX_GAP.toNanos();

  CaMetrics(ManagedCa ca, MeterRegistry registry) {
    this.ca = ca;
    this.registry = registry;
    this.signature =
        Timer.builder("voxca.signature")
            .description("Time to sign and store one certificate")
            .serviceLevelObjectives(
                Duration.ofMillis(1),
                Duration.ofMillis(5),
                Duration.ofMillis(10),
                Duration.ofMillis(25),
                Duration.ofMillis(50),
                Duration.ofMillis(100),
                Duration.ofMillis(250),
                Duration.ofSeconds(1))
            .register(registry);
    // every counter from the start, at zero: an alert on rate() or increase() sees the family
    // before its first event, and after every restart
    counter(CaEvent.Kind.CSR_SUBMITTED, "voxca.csrs.submitted", "Certificate requests stored");
    counter(CaEvent.Kind.CSR_DELETED, "voxca.csrs.deleted", "Certificate requests deleted");
    counter(
        CaEvent.Kind.RENEWED, "voxca.certificates.renewed", "Certificates renewed by their agents");
    counter(CaEvent.Kind.REVOKED, "voxca.certificates.revoked", "Revocations (by name)");
    counter(CaEvent.Kind.CLEANED, "voxca.certificates.cleaned", "Names revoked and deleted");
    counter(
        CaEvent.Kind.CA_EXTENDED,
        "voxca.ca.extensions",
        "CA certificates re-signed to last longer");
    counter(CaEvent.Kind.CRL_RESIGNED, "voxca.crls.resigned", "CRLs re-signed before nextUpdate");
    counter(CaEvent.Kind.CRL_UPDATED, "voxca.crls.updated", "Parent CRLs replaced through the API");
    List.of("autosign", "operator").forEach(this::signed);
    List.of("signed", "pending", "claims-server-name").forEach(this::decisions);
    for (String state : List.of("requested", "signed", "revoked")) {
      Gauge.builder("voxca.certificates", census, c -> count(c.get(), state))
          .description("Certificates (and pending CSRs) by state")
          .tag("state", state)
          .register(registry);
    }
    Gauge.builder("voxca.csrs.pending", census, c -> c.get().pending())
        .description("Certificate requests waiting for a decision")
        .register(registry);
    Gauge.builder("voxca.certificates.expired", census, c -> c.get().expired())
        .description("Unrevoked certificates past their notAfter")
        .register(registry);
    Gauge.builder("voxca.certificates.expiring", census, c -> c.get().expiringSoon())
        .description("Unrevoked certificates whose notAfter is within 30 days")
        .tag("within", "30d")
        .register(registry);
    Gauge.builder(
            "voxca.certificates.earliest.expiry", census, c -> epoch(c.get().earliestExpiry()))
        .description("The soonest notAfter of an unrevoked certificate, as a Unix time")
        .baseUnit("seconds")
        .register(registry);
  }

  @Override
  public void on(CaEvent e) {
    dirty.set(true);
    switch (e.kind()) {
      case AUTOSIGN_DECLINED -> autosign(e.outcomeWord());
      case SIGNED -> {
        boolean auto = Actor.AUTOSIGN.equals(e.actor());
        if (auto) {
          autosign("signed");
        }
        signed(auto ? "autosign" : "operator").increment();
        time(e);
      }
      case RENEWED -> {
        counters.get(e.kind()).increment();
        time(e);
      }
      case CSR_SUBMITTED, CSR_DELETED, REVOKED, CLEANED, CA_EXTENDED, CRL_RESIGNED, CRL_UPDATED ->
          counters.get(e.kind()).increment();
    }
  }

  /** Takes a census when something changed (at most every MIN_GAP) or MAX_GAP passed. */
  void refreshIfDue() {
    long since = System.nanoTime() - lastCensusNanos;
    if (since < MIN_GAP.toNanos() || (!dirty.get() && since < MAX_GAP.toNanos())) {
      return;
    }
    dirty.set(false);
    lastCensusNanos = System.nanoTime();
    try {
      census.set(ca.census(SOON));
      Map<String, Map<String, Instant>> ex = ca.expirations();
      update(
          caNotAfter,
          ex.get("ca-certs"),
          "voxca.ca.certificate.not.after",
          "ca",
          "notAfter of each CA certificate of the bundle, as a Unix time");
      update(
          crlNextUpdate,
          ex.get("crls"),
          "voxca.crl.next.update",
          "issuer",
          "nextUpdate of each CRL of the chain, as a Unix time");
    } catch (RuntimeException e) {
      dirty.set(true);
      LOG.warn("Could not count the certificates for the metrics: {}", e.toString());
    }
  }

  /**
   * New values for the gauges of {@code values}; a name seen for the first time gets its gauge
   * (never re-registered, so a scrape never sees one name twice); a name gone reads NaN.
   */
  private void update(
      Map<String, Double> values,
      Map<String, Instant> now,
      String metric,
      String tag,
      String description) {
    values.replaceAll((name, v) -> now.containsKey(name) ? v : Double.NaN);
    now.forEach(
        (name, when) -> {
          if (values.put(name, epoch(when)) == null) {
            Gauge.builder(metric, values, m -> m.getOrDefault(name, Double.NaN))
                .description(description)
                .baseUnit("seconds")
                .tag(tag, name)
                .register(registry);
          }
        });
  }

  private void autosign(String result) {
    decisions(result).increment();
  }

  private Counter decisions(String result) {
    return Counter.builder("voxca.autosign.decisions")
        .description("Autosign decisions on submitted CSRs")
        .tag("result", result)
        .register(registry);
  }

  private Counter signed(String by) {
    return Counter.builder("voxca.certificates.signed")
        .description("Certificates signed")
        .tag("by", by)
        .register(registry);
  }

  private void counter(CaEvent.Kind kind, String name, String description) {
    counters.put(kind, Counter.builder(name).description(description).register(registry));
  }

  private void time(CaEvent e) {
    if (e.signTime() != null) {
      signature.record(e.signTime());
    }
  }

  private static double count(Census c, String state) {
    return switch (state) {
      case "requested" -> c.pending();
      case "signed" -> c.signed();
      default -> c.revoked();
    };
  }

  private static double epoch(Instant t) {
    return t == null || t.equals(Instant.MAX) ? Double.NaN : t.getEpochSecond();
  }
}
