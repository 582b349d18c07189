package org.voxca.pki;

import java.io.IOException;
import java.security.cert.X509CRL;
import java.util.ArrayList;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.cert.X509CRLHolder;

/**
 * A CRL chain taken apart by its headers only ({@link CrlSummary#headersOfChain}): find a CRL by
 * issuer, replace, add, drop or reorder CRLs, and write the chain again — without building the JDK
 * object of any CRL but the one being re-signed, so a chain holding a 100,000-entry CRL is edited
 * in a few megabytes.
 */
public final class CrlChainEdit {
  private final List<CrlSummary> crls;
  private final List<byte[]> ders;

  private CrlChainEdit(List<CrlSummary> crls) {
    this.crls = new ArrayList<>(crls);
    this.ders = new ArrayList<>();
    for (CrlSummary c : crls) {
      ders.add(c.der());
    }
  }

  /** The chain in {@code pem}; malformed input is a {@link PkiException}. */
  public static CrlChainEdit of(byte[] pem) {
    return new CrlChainEdit(CrlSummary.headersOfChain(pem));
  }

  /** The index of the first CRL {@code issuer} signed, or -1. */
  public int indexOf(X500Principal issuer) {
    for (int i = 0; i < crls.size(); i++) {
      if (crls.get(i).issuer().equals(issuer)) {
        return i;
      }
    }
    return -1;
  }

  /** The header of the CRL at {@code i} (issuer, dates, number). */
  public CrlSummary header(int i) {
    return crls.get(i);
  }

  /** The CRL at {@code i} as the JDK's object (for re-signing it). */
  public X509CRL crl(int i) {
    try {
      return Certificates.toX509(new X509CRLHolder(ders.get(i)));
    } catch (IOException e) {
      throw new PkiException("unreadable CRL: " + Pem.oneLine(e.getMessage()));
    }
  }

  /** Replaces the CRL at {@code i}. */
  public CrlChainEdit set(int i, X509CRL crl) {
    ders.set(i, encoded(crl));
    crls.set(i, CrlSummary.of(ders.get(i)));
    return this;
  }

  /** Adds {@code crl} at the end. */
  public CrlChainEdit add(X509CRL crl) {
    ders.add(encoded(crl));
    crls.add(CrlSummary.of(ders.get(ders.size() - 1)));
    return this;
  }

  /** Drops every CRL {@code issuer} signed; true when one was there. */
  public boolean drop(X500Principal issuer) {
    boolean dropped = false;
    for (int i = crls.size() - 1; i >= 0; i--) {
      if (crls.get(i).issuer().equals(issuer)) {
        crls.remove(i);
        ders.remove(i);
        dropped = true;
      }
    }
    return dropped;
  }

  /** Moves the CRLs {@code issuer} signed to the front, the others keeping their order. */
  public CrlChainEdit first(X500Principal issuer) {
    List<CrlSummary> c = new ArrayList<>();
    List<byte[]> d = new ArrayList<>();
    for (int pass = 0; pass < 2; pass++) {
      for (int i = 0; i < crls.size(); i++) {
        if (crls.get(i).issuer().equals(issuer) == (pass == 0)) {
          c.add(crls.get(i));
          d.add(ders.get(i));
        }
      }
    }
    crls.clear();
    crls.addAll(c);
    ders.clear();
    ders.addAll(d);
    return this;
  }

  /** The chain as PEM, each CRL written as {@link Pem#encode} writes it. */
  public byte[] pem() {
    return Pem.encodeCrls(ders);
  }

  private static byte[] encoded(X509CRL crl) {
    try {
      return crl.getEncoded();
    } catch (java.security.cert.CRLException e) {
      throw new PkiException("cannot encode CRL", e);
    }
  }
}
