package org.voxca.store;

import java.io.IOException;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.Time;
import org.voxca.pki.Certificates;
import org.voxca.pki.Csr;
import org.voxca.pki.PkiException;
import org.voxca.pki.PuppetOids;
import org.voxca.pki.San;

/**
 * What the CA lists about one signed certificate, kept in memory for every name so that a listing
 * never reads or parses a certificate: serial, validity, the SHA-1, SHA-256 and SHA-512 digests of
 * its DER (in one array, about 120 bytes), its subject alternative names (IP entries first, in
 * Puppet's text forms) and its authorization extensions by short name. A database store keeps the
 * same fields as columns.
 */
public final class CertificateRecord {
  private final String name;
  private final long serialValue; // the serial when it fits a long (sequential serials always do)
  private final BigInteger bigSerial; // else the serial, and serialValue is unused
  private final long notBeforeSeconds;
  private final long notAfterSeconds;
  private final byte[] digests;
  private final List<String> sans;
  private final Map<String, String> authorizationExtensions;

  public CertificateRecord(
      String name,
      BigInteger serial,
      long notBeforeSeconds,
      long notAfterSeconds,
      byte[] digests,
      List<String> sans,
      Map<String, String> authorizationExtensions) {
    boolean fits = serial.signum() >= 0 && serial.bitLength() < 64;
    this.name = name;
    this.serialValue = fits ? serial.longValue() : 0;
    this.bigSerial = fits ? null : serial;
    this.notBeforeSeconds = notBeforeSeconds;
    this.notAfterSeconds = notAfterSeconds;
    this.digests = digests;
    this.sans = sans;
    this.authorizationExtensions = authorizationExtensions;
  }

  public String name() {
    return name;
  }

  /** The serial (held as a long when it fits: 64 bytes and two objects less per certificate). */
  public BigInteger serial() {
    return bigSerial != null ? bigSerial : BigInteger.valueOf(serialValue);
  }

  /** SHA-1 (at {@link #SHA1}), SHA-256 and SHA-512 digests of the DER, in one array; not a copy. */
  public byte[] digests() {
    return digests;
  }

  public Map<String, String> authorizationExtensions() {
    return authorizationExtensions;
  }

  /** Stands for the most common SAN, {@code DNS:<name>} alone, without a list per record. */
  private static final List<String> SELF = Collections.unmodifiableList(new ArrayList<>());

  /** Subject alternative names, IP entries first, in Puppet's text forms. */
  public List<String> subjectAltNames() {
    return sans == SELF ? List.of("DNS:" + name) : sans;
  }

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
  /**
   * A record from its stored fields (a snapshot), kept as compact as one read from a certificate:
   * the common alt names "just the name" share one list.
   */
  public static CertificateRecord restored(
      String name,
      BigInteger serial,
      long notBeforeSeconds,
      long notAfterSeconds,
      byte[] digests,
      List<String> san,
      Map<String, String> auth) {
    return new CertificateRecord(
        name,
        serial,
        notBeforeSeconds,
        notAfterSeconds,
        digests,
        san.isEmpty()
            ? List.of()
            : san.size() == 1 && san.get(0).equals("DNS:" + name) ? SELF : List.copyOf(san),
        auth.isEmpty() ? Map.of() : Collections.unmodifiableMap(auth));
  }

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
    return new CertificateRecord(
        name,
        c.getSerialNumber().getValue(),
        seconds(c.getStartDate()),
        seconds(c.getEndDate()),
        d,
        san.isEmpty()
            ? List.of()
            : san.size() == 1 && san.get(0).equals("DNS:" + name) ? SELF : List.copyOf(san),
        auth.isEmpty() ? Map.of() : Collections.unmodifiableMap(auth));
  }

  /**
   * Epoch seconds of an X.509 Time, read from its DER (YYMMDDHHMMSSZ or YYYYMMDDHHMMSSZ) by hand:
   * Bouncy Castle's getDate() builds a SimpleDateFormat per call. Other forms go through it.
   */
  static long seconds(Time t) {
    try {
      byte[] der = t.toASN1Primitive().getEncoded();
      int digits = der[0] == 0x17 ? 12 : der[0] == 0x18 ? 14 : -1;
      if (digits > 0
          && der[1] == digits + 1
          && der.length == digits + 3
          && der[der.length - 1] == 'Z') {
        int p = 2;
        int year = digits == 12 ? num(der, p, 2) : num(der, p, 4);
        if (digits == 12) {
          year += year >= 50 ? 1900 : 2000;
        }
        p += digits == 12 ? 2 : 4;
        return LocalDateTime.of(
                year,
                num(der, p, 2),
                num(der, p + 2, 2),
                num(der, p + 4, 2),
                num(der, p + 6, 2),
                num(der, p + 8, 2))
            .toEpochSecond(ZoneOffset.UTC);
      }
    } catch (IOException | RuntimeException e) {
      // the general path below
    }
    return t.getDate().getTime() / 1000;
  }

  private static int num(byte[] b, int at, int len) {
    int v = 0;
    for (int i = at; i < at + len; i++) {
      if (b[i] < '0' || b[i] > '9') {
        throw new NumberFormatException("not a digit");
      }
      v = v * 10 + (b[i] - '0');
    }
    return v;
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
    return Arrays.copyOfRange(digests, which, which + len);
  }
}
