package org.voxca.ca;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509CRL;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.voxca.pki.Certificates;
import org.voxca.pki.CrlBuilder;
import org.voxca.pki.Issuer;
import org.voxca.pki.Pem;

/**
 * A CRL chain as the CA writes it: its own CRL first (re-signed with the next CRL Number and the
 * dates of {@link CrlPolicy}), then the parent CAs' CRLs unchanged.
 */
final class CrlChains {
  private final Issuer issuer;
  private final CrlPolicy policy;

  CrlChains(Issuer issuer, CrlPolicy policy) {
    this.issuer = issuer;
    this.policy = policy;
  }

  /** The chain with its first CRL re-signed: next CRL Number, fresh dates, plus {@code added}. */
  byte[] resigned(List<X509CRL> chain, Map<BigInteger, Instant> added, Instant now) {
    X509CRL own = chain.get(0);
    BigInteger number = CrlBuilder.number(own).max(BigInteger.ZERO).add(BigInteger.ONE);
    X509CRL next =
        CrlBuilder.build(
            issuer, policy.thisUpdate(now), policy.nextUpdate(now), number, own, added);
    return withFirst(chain, next);
  }

  /** An empty CRL of this CA followed by the parents' CRLs: a new infrastructure CRL chain. */
  byte[] emptyLike(byte[] chainPem, Instant now) {
    X509CRL empty =
        CrlBuilder.build(
            issuer, policy.thisUpdate(now), policy.nextUpdate(now), BigInteger.ZERO, Map.of());
    return withFirst(read(chainPem), empty);
  }

  static List<X509CRL> read(byte[] chainPem) {
    return Certificates.readCrls(chainPem);
  }

  private static byte[] withFirst(List<X509CRL> chain, X509CRL first) {
    List<Object> out = new ArrayList<>(chain);
    out.set(0, first);
    return Pem.encode(out.toArray()).getBytes(StandardCharsets.US_ASCII);
  }
}
