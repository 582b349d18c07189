package org.voxca.store;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Collections;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.voxca.pki.Certificates;
import org.voxca.pki.Csr;
import org.voxca.pki.PkiException;
import org.voxca.pki.PuppetOids;
import org.voxca.pki.San;

/**
 * What the CA lists about one signed certificate, kept in memory for every name so that a
 * listing never reads or parses a certificate: serial, validity, the SHA-1, SHA-256 and SHA-512
 * digests of its DER (in one array, about 120 bytes), its subject alternative names (IP entries
 * first, in Puppet's text forms) and its authorization extensions by short name. A database store
 * keeps the same fields as columns.
 */
public record CertificateRecord(
    String name, BigInteger serial, long notBeforeSeconds, long notAfterSeconds, byte[] digests,
    List<String> subjectAltNames, Map<String, String> authorizationExtensions) {

  public static final int SHA1 = 0;
  public static final int SHA256 = 20;
  public static final int SHA512 = 52;
  private static final int LENGTH = 116;

  /** The record of a certificate stored under {@code name}. */
  public static CertificateRecord of(String name, X509Certificate cert) {
    return of(name, Certificates.der(cert));
  }

  /**
   * The record of a DER certificate, read with Bouncy Castle's ASN.1 classes only (no JCA
   * certificate object: several times cheaper, which matters when 100,000 are read at start).
   */
  public static CertificateRecord of(String name, byte[] der) {
    Certificate c;
    try {
      c = Certificate.getInstance(der);
    } catch (RuntimeException e) {
      throw new PkiException("unreadable certificate: " + e.getMessage());
    }
    byte[] d = new byte[LENGTH];
    try {
      System.arraycopy(MessageDigest.getInstance("SHA-1").digest(der), 0, d, SHA1, 20);
      System.arraycopy(MessageDigest.getInstance("SHA-256").digest(der), 0, d, SHA256, 32);
      System.arraycopy(MessageDigest.getInstance("SHA-512").digest(der), 0, d, SHA512, 64);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    Extensions exts = c.getTBSCertificate().getExtensions();
    List<String> san = List.of();
    Map<String, String> auth = new LinkedHashMap<>();
    if (exts != null) {
      san = San.entries(GeneralNames.fromExtensions(exts, Extension.subjectAlternativeName), true);
      for (ASN1ObjectIdentifier oid : exts.getExtensionOIDs()) {
        if (oid.on(PuppetOids.AUTH_CERT_EXT)) {
          auth.put(PuppetOids.shortName(oid.getId()), Csr.extensionText(exts.getExtension(oid)));
        }
      }
    }
    return new CertificateRecord(name, c.getSerialNumber().getValue(),
        c.getStartDate().getDate().getTime() / 1000, c.getEndDate().getDate().getTime() / 1000, d,
        san.isEmpty() ? List.of() : List.copyOf(san), auth.isEmpty() ? Map.of() : Collections.unmodifiableMap(auth));
  }

  public Instant notBefore() {
    return Instant.ofEpochSecond(notBeforeSeconds);
  }

  public Instant notAfter() {
    return Instant.ofEpochSecond(notAfterSeconds);
  }

  /** One digest: {@link #SHA1}, {@link #SHA256} or {@link #SHA512}. */
  public byte[] digest(int which) {
    int len = which == SHA1 ? 20 : which == SHA256 ? 32 : 64;
    return java.util.Arrays.copyOfRange(digests, which, which + len);
  }
}
