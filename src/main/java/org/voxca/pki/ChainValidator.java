package org.voxca.pki;

import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertStore;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * Checks a CA bundle (signing CA first, root last) with its CRL chain: every CA has a CRL it
 * signed, and the chain validates with revocation checking on (PKIX, as agents do).
 */
public final class ChainValidator {
  private ChainValidator() {}

  public static void validate(List<X509Certificate> bundle, List<X509CRL> crls, Date at) {
    if (bundle.isEmpty()) {
      throw new PkiException("the certificate bundle is empty");
    }
    for (X509Certificate ca : bundle) {
      if (crlOf(ca, crls) == null) {
        throw new PkiException(
            "no CRL in the chain was issued by " + ca.getSubjectX500Principal().getName());
      }
    }
    X509Certificate root = bundle.get(bundle.size() - 1);
    if (!root.getSubjectX500Principal().equals(root.getIssuerX500Principal())) {
      throw new PkiException("the last certificate of the bundle is not a self-signed root");
    }
    try {
      root.verify(root.getPublicKey());
      if (bundle.size() == 1) {
        return;
      }
      List<X509Certificate> path = new ArrayList<>(bundle.subList(0, bundle.size() - 1));
      PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
      params.setRevocationEnabled(true);
      params.setDate(at);
      List<Object> store = new ArrayList<>(crls);
      params.addCertStore(
          CertStore.getInstance("Collection", new CollectionCertStoreParameters(store)));
      CertPathValidator.getInstance("PKIX")
          .validate(CertificateFactory.getInstance("X.509").generateCertPath(path), params);
    } catch (GeneralSecurityException e) {
      throw new PkiException(Pem.oneLine(e.getMessage()));
    }
  }

  /**
   * The certificates above {@code leaf} in {@code bundle}, issuer first: each one's issuer by name
   * and signature, a self-signed one preferred, until a self-signed CA (or none is found). What a
   * server sends after its own certificate: the path its clients verify, not the whole bundle (a
   * bundle during a key rollover holds another generation and cross-certificates).
   */
  public static List<X509Certificate> pathAbove(
      X509Certificate leaf, List<X509Certificate> bundle) {
    List<X509Certificate> path = new java.util.ArrayList<>();
    X509Certificate at = leaf;
    while (!at.getSubjectX500Principal().equals(at.getIssuerX500Principal())
        && path.size() < bundle.size()) {
      X509Certificate parent = null;
      for (X509Certificate c : bundle) {
        if (!c.getSubjectX500Principal().equals(at.getIssuerX500Principal()) || path.contains(c)) {
          continue;
        }
        try {
          at.verify(c.getPublicKey());
        } catch (java.security.GeneralSecurityException | RuntimeException e) {
          continue;
        }
        if (parent == null || c.getSubjectX500Principal().equals(c.getIssuerX500Principal())) {
          parent = c;
        }
      }
      if (parent == null) {
        break;
      }
      path.add(parent);
      at = parent;
    }
    return path;
  }

  /** The CRL in {@code crls} issued and signed by {@code ca}, or null. */
  public static X509CRL crlOf(X509Certificate ca, List<X509CRL> crls) {
    for (X509CRL crl : crls) {
      if (crl.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
        try {
          crl.verify(ca.getPublicKey());
          return crl;
        } catch (GeneralSecurityException e) {
          // same name, other key: keep looking
        }
      }
    }
    return null;
  }
}
