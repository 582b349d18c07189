package org.voxca.pkcs11;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Security;
import java.security.cert.Certificate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.security.auth.login.FailedLoginException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A logged-in session with the token: the JDK's SunPKCS11 provider over its slot, and its key
 * store. When the token fails (removed, module error) every cached key handle is dropped and the
 * token is opened afresh — a new provider, a new login — after the retry interval, doubled after
 * each failed try up to a minute, so a token that comes back is used again without a restart.
 */
final class Token {
  private static final Logger LOG = LoggerFactory.getLogger(Token.class);
  private static final AtomicInteger NAMES = new AtomicInteger();
  private final TokenConfig config;
  private final Map<String, KeyPair> keys = new ConcurrentHashMap<>();
  private volatile Session session;
  private volatile String problem;
  private volatile long lastAttempt;
  private volatile int failedAttempts;
  private volatile boolean pinRejected;
  private volatile String caLabel;

  private record Session(Provider provider, KeyStore store) {}

  Token(TokenConfig config) {
    this.config = config;
    this.caLabel = config.label("ca");
  }

  /** The label of the signing CA's key as the store names it: what a probe signs with. */
  String caLabel() {
    return caLabel;
  }

  void caLabel(String label) {
    caLabel = label;
  }

  TokenConfig config() {
    return config;
  }

  /** Opens the token now: a {@link TokenException} says why it cannot. */
  synchronized void open() {
    lastAttempt = System.nanoTime();
    long slot = Slots.find(config.library(), config.tokenLabel());
    Provider p =
        Security.getProvider("SunPKCS11")
            .configure("--" + providerConfig(slot, "voxca-" + NAMES.incrementAndGet()));
    try {
      KeyStore ks = KeyStore.getInstance("PKCS11", p);
      ks.load(null, config.pin());
      session = new Session(p, ks);
      keys.clear();
    } catch (IOException e) {
      if (rootCause(e) instanceof FailedLoginException
          || String.valueOf(rootCause(e)).contains("CKR_PIN")) {
        pinRejected = true;
        throw new TokenException("wrong PIN for " + config + ": " + rootCause(e).getMessage());
      }
      throw new TokenException("cannot log in to " + config + ": " + rootCause(e));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new TokenException("cannot open " + config + ": " + rootCause(e));
    }
  }

  private String providerConfig(long slot, String name) {
    return "name = "
        + name
        + "\nlibrary = "
        + config.library()
        + "\nslot = "
        + slot
        + "\nattributes(*, CKO_PRIVATE_KEY, *) = {\n  CKA_SENSITIVE = true\n"
        + "  CKA_EXTRACTABLE = false\n}\n";
  }

  Provider provider() {
    return session().provider();
  }

  /** The key pair labelled {@code label}; a {@link TokenException} when there is none. */
  KeyPair key(String label) {
    KeyPair cached = keys.get(label);
    if (cached != null) {
      return cached;
    }
    KeyStore ks = session().store();
    try {
      PrivateKey key = (PrivateKey) ks.getKey(label, null);
      Certificate cert = ks.getCertificate(label);
      if (key == null || cert == null) {
        throw new TokenException("no key labelled '" + label + "' in " + config);
      }
      KeyPair pair = new KeyPair(cert.getPublicKey(), key);
      keys.put(label, pair);
      return pair;
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new TokenException("cannot read the key '" + label + "' of " + config + ": " + e);
    }
  }

  /** A key made in this token's session, usable by its label until {@link #store} keeps it. */
  void pending(String label, KeyPair made) {
    keys.put(label, made);
  }

  /** True when the token holds an object labelled {@code label}. */
  boolean has(String label) {
    try {
      return session().store().containsAlias(label);
    } catch (GeneralSecurityException e) {
      throw new TokenException("cannot list the keys of " + config + ": " + e);
    }
  }

  /**
   * Stores {@code key} (a session key of this token, or a software key to import) as a token
   * object.
   */
  void store(String label, PrivateKey key, Certificate cert) {
    try {
      session().store().setKeyEntry(label, key, null, new Certificate[] {cert});
      keys.remove(label);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new TokenException(
          "cannot store the key '" + label + "' in " + config + ": " + rootCause(e));
    }
  }

  /** Destroys the object labelled {@code label} (key and certificate) in the token. */
  void delete(String label) {
    try {
      session().store().deleteEntry(label);
      keys.remove(label);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new TokenException(
          "cannot delete the key '" + label + "' from " + config + ": " + rootCause(e));
    }
  }

  private Session session() {
    Session s = session;
    if (s == null) {
      throw new TokenException(problem == null ? config + " is not open" : problem);
    }
    return s;
  }

  /** Why the token cannot sign now, or null. */
  String problem() {
    return problem;
  }

  /** A signature through the token failed: drop the session so the next use opens it afresh. */
  synchronized void failed(Throwable e) {
    String was = problem;
    if (was == null) {
      LOG.error(
          "The PKCS#11 {} failed: {}; nothing is signed until it answers again",
          config,
          rootCause(e).toString());
    }
    problem = config + " failed: " + rootCause(e).getMessage();
    if (was != null && !was.equals(problem)) {
      LOG.warn("The PKCS#11 {} is still unusable: {}", config, problem);
    }
    session = null;
    keys.clear();
  }

  /**
   * Opens the token again when it failed and its retry delay has passed (the configured interval,
   * doubled after each failed attempt up to a minute); true when it is usable (it was, or it came
   * back). A PIN the token rejected is never tried again — each try counts towards locking the
   * token — until the server restarts with the right one.
   */
  boolean recover() {
    return problem == null || recoverNow();
  }

  private synchronized boolean recoverNow() {
    if (problem == null) {
      return true;
    }
    long delay =
        Math.max(
            config.retry().toNanos(),
            Math.min(
                config.retry().toNanos() << Math.min(failedAttempts, 16),
                java.util.concurrent.TimeUnit.MINUTES.toNanos(1)));
    if (pinRejected || System.nanoTime() - lastAttempt < delay) {
      return false;
    }
    try {
      open();
      key(caLabel);
      problem = null;
      failedAttempts = 0;
      LOG.info("The PKCS#11 {} answers again: signing resumes", config);
      return true;
    } catch (TokenException | java.security.ProviderException e) {
      failedAttempts++;
      if (!e.getMessage().equals(problem)) {
        LOG.warn("The PKCS#11 {} is still unusable: {}", config, e.getMessage());
      }
      problem = e.getMessage();
      if (pinRejected) {
        LOG.error(
            "The PKCS#11 {} rejected the PIN: voxca will not try it again (each try counts"
                + " towards locking the token); fix the pin-file and restart",
            config);
      }
      return false;
    }
  }

  /** Logs out of the token: another session of this process must log in with its own PIN. */
  synchronized void close() {
    Session s = session;
    session = null;
    keys.clear();
    if (s != null && s.provider() instanceof java.security.AuthProvider auth) {
      try {
        auth.logout();
      } catch (javax.security.auth.login.LoginException | RuntimeException e) {
        LOG.debug("Logging out of {} failed: {}", config, e.toString());
      }
    }
  }

  static Throwable rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }
}
