package org.voxca.ca;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.function.Supplier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voxca.pki.Certificates;
import org.voxca.pki.ChainValidator;
import org.voxca.pki.CrlBuilder;
import org.voxca.pki.Issuer;
import org.voxca.pki.KeyIds;
import org.voxca.pki.Pem;
import org.voxca.pki.PkiException;
import org.voxca.store.CaStore;

/**
 * {@code PUT certificate_revocation_list}: replaces the CRLs of the parent CAs of an intermediate
 * CA by newer ones with the same AKI; the CA's own CRL is never replaced, and the resulting chain
 * must validate.
 */
final class UpstreamCrls {
  private static final Logger LOG = LoggerFactory.getLogger(UpstreamCrls.class);
  private static final String AKI = Extension.authorityKeyIdentifier.getId();

  private final CaStore store;
  private final Supplier<Issuer> issuer;
  private final CrlWriter writer;
  private final TrustState trust;
  private final Clock clock;
  private final EventSink events;

  UpstreamCrls(
      CaStore store,
      Supplier<Issuer> issuer,
      CrlWriter writer,
      TrustState trust,
      Clock clock,
      EventSink events) {
    this.store = store;
    this.events = events;
    this.issuer = issuer;
    this.writer = writer;
    this.trust = trust;
    this.clock = clock;
  }

  void update(byte[] pem) {
    List<X509CRL> incoming;
    try {
      incoming = Certificates.readCrls(new String(pem, StandardCharsets.UTF_8));
    } catch (PkiException e) {
      throw new CaException(Reason.BAD_REQUEST, "No valid CRLs submitted.");
    }
    if (incoming.isEmpty()) {
      throw new CaException(Reason.BAD_REQUEST, "No valid CRLs submitted.");
    }
    for (X509CRL c : incoming) {
      if (c.getExtensionValue(AKI) == null) {
        throw new CaException(
            Reason.BAD_REQUEST,
            "One or more submitted CRLs do not have an authority key identifier.");
      }
      if (c.getExtensionValue(Extension.deltaCRLIndicator.getId()) != null) {
        throw new CaException(Reason.BAD_REQUEST, "Cannot support delta CRL.");
      }
    }
    if (writer.exclusive(() -> replaceParents(incoming))) {
      trust.reload();
    }
    events.emit(CaEvent.Kind.CRL_UPDATED, "ca", List.of(), "updated");
  }

  private boolean replaceParents(List<X509CRL> incoming) {
    List<X509CRL> chain = Certificates.readCrls(store.documents().crlChain().bytes());
    byte[] ownKeyId = KeyIds.subjectKeyIdOf(issuer.get().bundle().get(0));
    List<X509CRL> next = new ArrayList<>();
    boolean changed = false;
    for (X509CRL current : chain) {
      byte[] aki = current.getExtensionValue(AKI);
      if (aki == null || Arrays.equals(keyId(aki), ownKeyId)) {
        next.add(current);
        continue;
      }
      X509CRL best = newest(current, aki, incoming);
      changed |= best != current;
      next.add(best);
    }
    if (!changed) {
      LOG.warn("No submitted CRL is newer than the CRL chain's; nothing updated");
      return false;
    }
    try {
      ChainValidator.validate(issuer.get().bundle(), next, Date.from(clock.instant()));
    } catch (PkiException e) {
      throw new CaException(Reason.BAD_REQUEST, "Invalid certs and/or CRLs: " + e.getMessage());
    }
    store
        .documents()
        .replaceCrlChain(Pem.encode(next.toArray()).getBytes(StandardCharsets.US_ASCII));
    LOG.info("Updated the parent CAs' CRLs in the CRL chain");
    return true;
  }

  /** The CRL with the highest number among {@code current} and the incoming ones of its issuer. */
  private static X509CRL newest(X509CRL current, byte[] aki, List<X509CRL> incoming) {
    X509CRL best = current;
    boolean tie = false;
    for (X509CRL c : incoming) {
      if (!Arrays.equals(aki, c.getExtensionValue(AKI))) {
        continue;
      }
      int cmp = CrlBuilder.number(c).compareTo(CrlBuilder.number(best));
      if (cmp > 0) {
        best = c;
        tie = false;
      } else if (cmp == 0 && best != current && !c.equals(best)) {
        tie = true;
      }
    }
    if (tie) {
      throw new CaException(Reason.BAD_REQUEST, "Could not determine newest CRL.");
    }
    return best;
  }

  private static byte[] keyId(byte[] akiExtension) {
    return AuthorityKeyIdentifier.getInstance(ASN1OctetString.getInstance(akiExtension).getOctets())
        .getKeyIdentifier();
  }
}
