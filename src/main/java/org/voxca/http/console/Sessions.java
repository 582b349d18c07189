package org.voxca.http.console;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.voxca.http.ClientIdentity;

/**
 * The console's login links and sessions, in this server's memory. A link is a one-time secret an
 * admin obtained through the API ({@code voxca ca console-link}); redeeming it opens a session for
 * the admin who asked for it. A session lives {@link #SESSION_LIFE} at most and ends after {@link
 * #IDLE} without a request. Both tables are bounded and release: an expired entry is dropped by the
 * next sweep, a redeemed link at once, and past the cap the oldest session goes first.
 */
final class Sessions {
  static final Duration LINK_LIFE = Duration.ofMinutes(5);
  static final Duration SESSION_LIFE = Duration.ofHours(8);
  static final Duration IDLE = Duration.ofMinutes(30);
  static final int MAX_SESSIONS = 256;
  static final int MAX_LINKS = 64;

  private static final SecureRandom RANDOM = new SecureRandom();

  /** An open session: who, since when, its CSRF token, and the last time it was used. */
  static final class Session {
    final String id;
    final ClientIdentity identity;
    final String via;
    final Instant expires;
    final String csrf;
    volatile Instant lastUsed;

    Session(String id, ClientIdentity identity, String via, Instant now) {
      this.id = id;
      this.identity = identity;
      this.via = via;
      this.expires = now.plus(SESSION_LIFE);
      this.csrf = secret();
      this.lastUsed = now;
    }

    /** The name the audit log records for what this session does. */
    String actor() {
      return "console:" + identity.certname();
    }

    boolean liveAt(Instant now) {
      return now.isBefore(expires) && now.isBefore(lastUsed.plus(IDLE));
    }
  }

  private record Link(ClientIdentity identity, Instant expires) {}

  private final Clock clock;
  private final Map<String, Link> links = new ConcurrentHashMap<>();
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();

  Sessions(Clock clock) {
    this.clock = clock;
  }

  /** A login link's secret, to hand out once, and when it expires. */
  record NewLink(String secret, Instant expires) {}

  /** A new one-time login link for {@code admin}; at most {@link #MAX_LINKS} live. */
  NewLink newLink(ClientIdentity admin) {
    Instant now = clock.instant();
    sweep(now);
    if (links.size() >= MAX_LINKS) {
      throw new IllegalStateException(
          "too many unused console links; wait " + LINK_LIFE.toMinutes() + " minutes");
    }
    String secret = secret();
    Instant expires = now.plus(LINK_LIFE);
    links.put(hash(secret), new Link(admin, expires));
    return new NewLink(secret, expires);
  }

  /** Redeems a link once: the new session, or empty for an unknown, used or expired link. */
  Optional<Session> redeem(String secret) {
    Instant now = clock.instant();
    Link l = secret == null ? null : links.remove(hash(secret));
    if (l == null || !now.isBefore(l.expires())) {
      return Optional.empty();
    }
    return Optional.of(open(l.identity(), "link", now));
  }

  /** A session for an admin who came with a certificate. */
  Session openForCertificate(ClientIdentity admin) {
    return open(admin, "certificate", clock.instant());
  }

  private Session open(ClientIdentity id, String via, Instant now) {
    sweep(now);
    while (sessions.size() >= MAX_SESSIONS) {
      sessions.values().stream()
          .min((a, b) -> a.lastUsed.compareTo(b.lastUsed))
          .ifPresent(s -> sessions.remove(hash(s.id)));
    }
    Session s = new Session(secret(), id, via, now);
    sessions.put(hash(s.id), s);
    return s;
  }

  /** The live session of a cookie value, touched; empty when unknown or expired. */
  Optional<Session> find(String cookie) {
    if (cookie == null) {
      return Optional.empty();
    }
    Session s = sessions.get(hash(cookie));
    Instant now = clock.instant();
    if (s == null) {
      return Optional.empty();
    }
    if (!s.liveAt(now)) {
      sessions.remove(hash(cookie));
      return Optional.empty();
    }
    s.lastUsed = now;
    return Optional.of(s);
  }

  void close(String cookie) {
    if (cookie != null) {
      sessions.remove(hash(cookie));
    }
  }

  int sessionCount() {
    return sessions.size();
  }

  int linkCount() {
    return links.size();
  }

  /** Drops every expired link and session. */
  void sweep(Instant now) {
    links.values().removeIf(l -> !now.isBefore(l.expires()));
    for (Iterator<Session> it = sessions.values().iterator(); it.hasNext(); ) {
      if (!it.next().liveAt(now)) {
        it.remove();
      }
    }
  }

  /** True when two secrets are equal, in time independent of where they differ. */
  static boolean same(String a, String b) {
    return a != null
        && b != null
        && MessageDigest.isEqual(
            a.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
            b.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }

  private static String secret() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private static String hash(String secret) {
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256")
              .digest(secret.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(d);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
