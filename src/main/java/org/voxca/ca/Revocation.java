package org.voxca.ca;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voxca.store.CaStore;
import org.voxca.store.Replicated;

/**
 * Revocation and removal by name: revoking a name revokes every live serial the inventory records
 * for it (superseded renewals included); clean revokes then deletes the certificate; {@code
 * certificate_status} DELETE only deletes files.
 */
final class Revocation {
  private static final Logger LOG = LoggerFactory.getLogger(Revocation.class);
  private final CaStore store;
  private final CrlWriter crls;
  private final ServerNames server;
  private final NameLocks locks;
  private final Clock clock;

  private final EventSink events;

  Revocation(
      CaStore store,
      CrlWriter crls,
      ServerNames server,
      NameLocks locks,
      Clock clock,
      EventSink events) {
    this.events = events;
    this.store = store;
    this.crls = crls;
    this.server = server;
    this.locks = locks;
    this.clock = clock;
  }

  /** Revokes every certificate of {@code name}: 404 when unknown, 409 without a certificate. */
  void revoke(String name) {
    NameRules.validateLookup(name);
    refuseServer(name);
    try (Replicated.Held held = locks.hold(name)) {
      Set<BigInteger> serials = serialsOf(name, clock.instant());
      if (serials.isEmpty()) {
        if (store.records().csr(name).isEmpty() && store.records().certificate(name).isEmpty()) {
          throw new CaException(Reason.NOT_FOUND, "Invalid certificate subject.");
        }
        throw new CaException(
            Reason.CONFLICT,
            "Cannot revoke certificate for host " + name + " without a signed certificate");
      }
      crls.revoke(serials, store.records().infraNodes().contains(name) ? serials : Set.of());
      events.emit(CaEvent.Kind.REVOKED, name, serials, "revoked");
    }
  }

  /**
   * Revokes and deletes the certificates of {@code names}; returns the names that did not exist.
   */
  List<String> clean(List<String> names) {
    List<String> unique = new ArrayList<>(new LinkedHashSet<>(names));
    unique.forEach(NameRules::validateLookup);
    unique.forEach(this::refuseServer);
    Instant now = clock.instant();
    Set<BigInteger> serials = new LinkedHashSet<>();
    Set<BigInteger> infraSerials = new LinkedHashSet<>();
    Set<String> infraNodes = store.records().infraNodes();
    List<String> existing = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    Map<String, Set<BigInteger>> serialsByName = new HashMap<>();
    for (String name : unique) {
      Set<BigInteger> s = serialsOf(name, now);
      if (s.isEmpty() && store.records().certificate(name).isEmpty()) {
        missing.add(name);
        continue;
      }
      existing.add(name);
      serialsByName.put(name, s);
      serials.addAll(s);
      if (infraNodes.contains(name)) {
        infraSerials.addAll(s);
      }
    }
    if (!serials.isEmpty()) {
      crls.revoke(serials, infraSerials);
    }
    for (String name : existing) {
      store.records().deleteCertificate(name);
    }
    for (String name : existing) {
      events.emit(CaEvent.Kind.CLEANED, name, serialsByName.get(name), "revoked and deleted");
    }
    LOG.info("Cleaned {}", existing);
    return missing;
  }

  /** Deletes the signed certificate and CSR files of a name (no revocation); 404 when unknown. */
  void deleteFiles(String name) {
    NameRules.validateLookup(name);
    refuseServer(name);
    try (Replicated.Held held = locks.hold(name)) {
      boolean known =
          store.records().certificate(name).isPresent()
              || store.records().csr(name).isPresent()
              || !store.records().liveSerials(name, Instant.MIN).isEmpty();
      if (!known) {
        throw new CaException(Reason.NOT_FOUND, "Resource not found.");
      }
      store.records().deleteCertificate(name);
      store.records().deleteCsr(name);
      LOG.info("Deleted the certificate and CSR files of {}", name);
    }
  }

  /**
   * The certificate the server itself serves with is not the API's to revoke or delete: doing so
   * would cut every agent off at the server's next restart, silently.
   */
  private void refuseServer(String name) {
    if (server.isServer(name)) {
      throw new CaException(
          Reason.CONFLICT,
          "The CA server's own certificate ("
              + name
              + ") cannot be revoked or cleaned through the API. To replace it, stop voxca, move"
              + " certs/"
              + name
              + ".pem and private_keys/"
              + name
              + ".pem out of its ssldir and signed/"
              + name
              + ".pem out of the CA directory, and start voxca: it issues a new one.");
    }
  }

  /** Every live serial of a name: the inventory's, plus the signed certificate's own. */
  /** Every serial a name was ever issued that the store knows of, its current one included. */
  Set<BigInteger> allSerials(String name) {
    NameRules.validateLookup(name);
    return serialsOf(name, Instant.MIN);
  }

  private Set<BigInteger> serialsOf(String name, Instant now) {
    Set<BigInteger> serials = new LinkedHashSet<>(store.records().liveSerials(name, now));
    store.records().certificateRecord(name).ifPresent(r -> serials.add(r.serial()));
    return serials;
  }
}
