package org.voxca.ca;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What {@code certificate_status} reports for a name: the certificate when one is signed (state
 * signed or revoked), otherwise the pending CSR (state requested). Serial and validity are null for
 * a CSR. {@code pendingReason}, voxca's own, says why a pending CSR was not autosigned (null when
 * unknown, and for a certificate).
 */
public record CertStatus(
    String name,
    String state,
    Map<String, String> fingerprints,
    List<String> dnsAltNames,
    List<String> subjectAltNames,
    Map<String, String> authorizationExtensions,
    BigInteger serialNumber,
    Instant notBefore,
    Instant notAfter,
    String pendingReason) {

  public static final String REQUESTED = "requested";
  public static final String SIGNED = "signed";
  public static final String REVOKED = "revoked";
}
