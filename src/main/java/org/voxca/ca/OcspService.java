package org.voxca.ca;

import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.cert.CRLReason;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voxca.pki.Certificates;
import org.voxca.pki.Issuer;
import org.voxca.pki.OcspResponder;
import org.voxca.pki.OcspResponder.Status;
import org.voxca.store.CaStore;

/**
 * OCSP answers from the CA's own state, so a revocation is visible at once: revoked (time and
 * reason from the CA's CRL entry), good (in the inventory, through its index), unknown (never
 * issued here). Responses are valid for {@link #VALIDITY}.
 *
 * <p>A signature is the only real cost of an answer, so signed responses are kept (RFC 5019 style)
 * per set of certificates asked for, and served again while the CA certificate and CRL are the
 * same, every status still reads the same, and less than half their validity has passed: a flood of
 * requests costs look-ups, not signatures. A request with a nonce gets a fresh response echoing it
 * (it cannot be shared), up to {@link #NONCE_SIGNATURES_PER_SECOND}; past that it gets the shared
 * response without the nonce, as RFC 5019 allows. A store that does not answer gives {@code
 * tryLater}. Responses are signed by a delegated responder ({@link OcspSigner}) unless {@code voxca
 * { ocsp-signer: ca }}.
 */
final class OcspService {
  static final Duration VALIDITY = Duration.ofHours(1);
  static final Duration SIGNING_BUDGET = Duration.ofMillis(100);
  private static final int MAX_CACHED = 10_000;
  private static final Logger LOG = LoggerFactory.getLogger(OcspService.class);
  private static final java.lang.management.ThreadMXBean THREADS =
      java.lang.management.ManagementFactory.getThreadMXBean();

  private final CaStore store;
  private final Supplier<Issuer> issuer;
  private final TrustState trust;
  private final Clock clock;
  private final OcspSigner signer;
  private final Supplier<Issuer> next;
  private final OcspSigner nextSigner;
  private final Map<ByteBuffer, Signed> cache = new ConcurrentHashMap<>();
  private final RateLimitedLog.Budget unavailableLog = new RateLimitedLog.Budget(1);
  private long budgetSecond;
  private long signingNanos;

  /** The CA's CRL parsed for entry dates, kept until the CRL changes. */
  private volatile Map.Entry<Document, X509CRL> parsed;

  /** A signed response and the statuses it gives. */
  private record Signed(byte[] der, List<Status> statuses, Instant producedAt) {}

  /**
   * The CA certificate and CRL the kept responses were signed under: when either changes, every
   * kept response goes (none of them may be served again, and none may keep an old CRL alive).
   */
  private Issuer cachedIssuer;

  private Issuer cachedNext;
  private Document cachedCrl;

  /**
   * Answers for the CA {@code issuer} and, while a rollover publishes one, the next CA ({@code
   * next}, null when none or its key is not open here): a request wholly about the next CA's
   * certificates is answered under the next CA, by its own delegated responder.
   */
  OcspService(
      CaStore store,
      Supplier<Issuer> issuer,
      Supplier<Issuer> next,
      TrustState trust,
      CaSettings settings,
      Clock clock) {
    this.store = store;
    this.issuer = issuer;
    this.next = next;
    this.trust = trust;
    this.clock = clock;
    this.signer = new OcspSigner(store, issuer, settings, clock);
    this.nextSigner = new OcspSigner(store, next, settings, clock);
  }

  OcspReply respond(byte[] request) {
    OcspResponder.Request req = OcspResponder.parse(request);
    if (req == null) {
      return new OcspReply(
          OcspResponder.status(OcspResponder.MALFORMED_REQUEST), false, Duration.ZERO);
    }
    Issuer ca = issuer.get();
    Issuer nextCa = next.get();
    boolean forNext = nextCa != null && OcspResponder.allFor(req, nextCa);
    Document crl = trust.crl();
    List<Status> statuses;
    OcspResponder.Signer by;
    try {
      statuses = OcspResponder.statuses(req, forNext ? nextCa : ca, this::status);
      by = forNext ? nextSigner.current() : signer.current();
    } catch (UncheckedIOException | CaException e) {
      if (unavailableLog.allow()) {
        LOG.warn("OCSP: cannot answer now, tryLater: {}", e.getMessage());
      }
      return new OcspReply(OcspResponder.status(OcspResponder.TRY_LATER), false, Duration.ZERO);
    }
    Instant now = clock.instant();
    if (req.nonce() != null && withinBudget(now)) {
      return new OcspReply(sign(req, statuses, by, now, true), false, Duration.ZERO);
    }
    ByteBuffer key = ByteBuffer.wrap(req.idsDer());
    startOver(ca, nextCa, crl);
    Signed s = cache.get(key);
    if (s == null
        || !s.statuses.equals(statuses)
        || !now.isBefore(s.producedAt.plus(VALIDITY.dividedBy(2)))) {
      if (!withinBudget(now)) {
        return new OcspReply(OcspResponder.status(OcspResponder.TRY_LATER), false, Duration.ZERO);
      }
      s = new Signed(sign(req, statuses, by, now, false), statuses, now);
      if (cache.size() >= MAX_CACHED) {
        cache.clear(); // bounded: a flood of distinct requests starts the cache over
      }
      cache.put(key, s);
    }
    Duration left = Duration.between(now, s.producedAt.plus(VALIDITY.dividedBy(2)));
    return new OcspReply(s.der, true, left.isNegative() ? Duration.ZERO : left);
  }

  /** Forgets every kept response when the CA certificate, the next CA or the CRL changed. */
  private synchronized void startOver(Issuer ca, Issuer nextCa, Document crl) {
    if (ca != cachedIssuer || nextCa != cachedNext || crl != cachedCrl) {
      cache.clear();
      cachedIssuer = ca;
      cachedNext = nextCa;
      cachedCrl = crl;
    }
  }

  private byte[] sign(
      OcspResponder.Request req,
      List<Status> statuses,
      OcspResponder.Signer by,
      Instant now,
      boolean nonce) {
    long t0 = cpuNanos();
    try {
      return OcspResponder.sign(req, statuses, by, now, now.plus(VALIDITY), nonce);
    } finally {
      spent(cpuNanos() - t0);
    }
  }

  /**
   * This thread's CPU time: what a signature costs, however busy the machine (wall time would
   * shrink the budget exactly when the CPUs are contended).
   */
  private static long cpuNanos() {
    return THREADS.isCurrentThreadCpuTimeSupported()
        ? THREADS.getCurrentThreadCpuTime()
        : System.nanoTime();
  }

  /** True while this second's signing time is within {@link #SIGNING_BUDGET}. */
  private synchronized boolean withinBudget(Instant now) {
    if (now.getEpochSecond() != budgetSecond) {
      budgetSecond = now.getEpochSecond();
      signingNanos = 0;
    }
    return signingNanos < SIGNING_BUDGET.toNanos();
  }

  private synchronized void spent(long nanos) {
    signingNanos += nanos;
  }

  private Status status(BigInteger serial) {
    if (trust.revoked(serial)) {
      X509CRLEntry e = entry(serial);
      if (e == null) {
        return new Status(Instant.EPOCH, null);
      }
      CRLReason r = e.getRevocationReason();
      return new Status(e.getRevocationDate().toInstant(), r == null ? null : r.ordinal());
    }
    return store.records().issued(serial) ? Status.GOOD : null;
  }

  private X509CRLEntry entry(BigInteger serial) {
    Document crl = trust.crl();
    Map.Entry<Document, X509CRL> p = parsed;
    if (p == null || p.getKey() != crl) {
      X509CRL own =
          Certificates.readCrls(new String(crl.bytes(), StandardCharsets.US_ASCII)).get(0);
      p = Map.entry(crl, own);
      parsed = p;
    }
    return p.getValue().getRevokedCertificate(serial);
  }
}
