package org.voxca.ca;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The operator's side of the CA (spec §2.5–§2.8, §2.10): status, listing, deletion, bulk signing,
 * clean and expirations.
 */
public interface Operations {

  /** The status of a name: its certificate when signed, else its pending CSR. */
  Optional<CertStatus> status(String name);

  /** Every CSR then every certificate, filtered by {@code state} (requested|signed|revoked) when given. */
  default List<CertStatus> statuses(String state) {
    return statuses(state, null, null);
  }

  /**
   * As {@link #statuses(String)}, also filtered by a name glob ({@code *}, {@code ?}) and by
   * certificates expiring before an instant (CSRs never match that filter); null means no filter.
   */
  default List<CertStatus> statuses(String state, String nameGlob, Instant expiringBefore) {
    List<CertStatus> out = new java.util.ArrayList<>();
    eachStatus(state, nameGlob, expiringBefore, out::add);
    return out;
  }

  /** As {@link #statuses(String, String, Instant)}, handing each status over as it is read. */
  void eachStatus(String state, String nameGlob, Instant expiringBefore, java.util.function.Consumer<CertStatus> sink);

  /** Deletes the signed certificate and CSR files of a name (no revocation); 404 when unknown. */
  void deleteFiles(String name);

  /** Signs the named pending CSRs (no name or duplicate checks, as Puppet's /sign). */
  SignResult signMany(List<String> names);

  /** Signs every pending CSR. */
  SignResult signAll();

  /** Revokes and deletes the certificates of {@code names}; returns the names that did not exist. */
  List<String> clean(List<String> names);

  /** notAfter of every CA certificate and nextUpdate of every CRL, keyed by CN. */
  Map<String, Map<String, Instant>> expirations();
}
