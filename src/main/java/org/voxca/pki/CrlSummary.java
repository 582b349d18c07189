package org.voxca.pki;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.Time;

/**
 * What the CA needs from one CRL, read straight from its DER without building an object per entry:
 * issuer, dates, CRL Number, the revoked serials and the raw bytes of the entries (for {@link
 * CrlAppender}). A 100,000-entry CRL reads in tens of milliseconds, where the JDK's parser takes
 * most of a second and a hundred megabytes. The signature is not checked: callers read CRLs this CA
 * wrote or already validated.
 */
public record CrlSummary(
    byte[] der,
    X500Principal issuer,
    Instant thisUpdate,
    Instant nextUpdate,
    BigInteger number,
    SerialSet serials,
    int entriesStart,
    int entriesLength) {

  private static final String BEGIN = "-----BEGIN X509 CRL-----";
  private static final String END = "-----END X509 CRL-----";

  /** This summary with other serials and without its DER (what a published state keeps). */
  public CrlSummary withoutDer(SerialSet serials) {
    return new CrlSummary(new byte[0], issuer, thisUpdate, nextUpdate, number, serials, 0, 0);
  }

  /** The DER content of {@code revokedCertificates} (entries only, no header). */
  public byte[] entries() {
    byte[] out = new byte[entriesLength];
    System.arraycopy(der, entriesStart, out, 0, entriesLength);
    return out;
  }

  /** Every CRL of a PEM chain, in order; malformed or empty input is a {@link PkiException}. */
  public static List<CrlSummary> ofChain(byte[] pem) {
    return ofChain(pem, true);
  }

  /**
   * Every CRL of a PEM chain with its entries checked for shape but their serials not collected
   * ({@link #serials()} is empty): for callers that need the dates or number only.
   */
  public static List<CrlSummary> headersOfChain(byte[] pem) {
    return ofChain(pem, false);
  }

  private static List<CrlSummary> ofChain(byte[] pem, boolean serials) {
    String text = new String(pem, StandardCharsets.US_ASCII);
    List<CrlSummary> out = new ArrayList<>();
    int from = 0;
    while (true) {
      int b = text.indexOf(BEGIN, from);
      if (b < 0) {
        break;
      }
      int e = text.indexOf(END, b);
      if (e < 0) {
        throw new PkiException("malformed PEM: no " + END);
      }
      byte[] der;
      try {
        der = Base64.getMimeDecoder().decode(text.substring(b + BEGIN.length(), e));
      } catch (IllegalArgumentException ex) {
        throw new PkiException("malformed PEM: " + Pem.oneLine(ex.getMessage()));
      }
      out.add(of(der, serials));
      from = e + END.length();
    }
    if (out.isEmpty()) {
      throw new PkiException("no CRL found");
    }
    return out;
  }

  /** One DER CRL. */
  public static CrlSummary of(byte[] der) {
    return of(der, true);
  }

  private static CrlSummary of(byte[] der, boolean collect) {
    try {
      Der outer = Der.at(der, 0);
      Der tbs = Der.at(der, outer.contentStart());
      if (outer.tag() != 0x30 || tbs.tag() != 0x30 || outer.end() != der.length) {
        throw new PkiException("not a DER CRL");
      }
      int p = tbs.contentStart();
      int end = tbs.end();
      Der e = Der.at(der, p);
      if (e.tag() == 0x02) { // version
        p = e.end();
        e = Der.at(der, p);
      }
      p = e.end(); // signature AlgorithmIdentifier
      Der issuer = Der.at(der, p);
      X500Principal principal = new X500Principal(Der.element(der, p));
      p = issuer.end();
      Instant thisUpdate = time(der, p);
      p = Der.at(der, p).end();
      Instant nextUpdate = null;
      if (p < end && isTime(Der.at(der, p).tag())) {
        nextUpdate = time(der, p);
        p = Der.at(der, p).end();
      }
      long[] longs = new long[1024];
      int count = 0;
      Set<BigInteger> big = new HashSet<>();
      int entriesStart = p;
      int entriesLength = 0;
      if (p < end && Der.at(der, p).tag() == 0x30) {
        Der list = Der.at(der, p);
        entriesStart = list.contentStart();
        entriesLength = list.length();
        for (int q = list.contentStart(); q < list.end(); ) {
          Der entry = Der.at(der, q);
          Der serial = Der.at(der, entry.contentStart());
          if (serial.tag() != 0x02 || serial.length() == 0) {
            throw new PkiException("bad CRL entry");
          }
          if (!collect) {
            q = entry.end();
            continue;
          }
          BigInteger value = new BigInteger(der, serial.contentStart(), serial.length());
          if (SerialSet.fitsLong(value)) {
            if (count == longs.length) {
              longs = Arrays.copyOf(longs, count * 2);
            }
            longs[count++] = value.longValue();
          } else {
            big.add(value);
          }
          q = entry.end();
        }
        p = list.end();
      }
      SerialSet serials = SerialSet.of(longs, count, big);
      BigInteger number = null;
      if (p < end && Der.at(der, p).tag() == 0xA0) {
        Der ext = Der.at(der, p);
        Extensions exts = Extensions.getInstance(ASN1Primitive.fromByteArray(ext.content(der)));
        Extension n = exts.getExtension(Extension.cRLNumber);
        number = n == null ? null : CRLNumber.getInstance(n.getParsedValue()).getCRLNumber();
      }
      return new CrlSummary(
          der, principal, thisUpdate, nextUpdate, number, serials, entriesStart, entriesLength);
    } catch (IOException
        | IllegalArgumentException
        | IllegalStateException
        | ClassCastException e) {
      throw new PkiException("unreadable CRL: " + Pem.oneLine(e.getMessage()));
    }
  }

  private static boolean isTime(int tag) {
    return tag == 0x17 || tag == 0x18;
  }

  private static Instant time(byte[] der, int p) throws IOException {
    if (!isTime(Der.at(der, p).tag())) {
      throw new PkiException("unreadable CRL: bad time");
    }
    return Time.getInstance(ASN1Primitive.fromByteArray(Der.element(der, p))).getDate().toInstant();
  }
}
