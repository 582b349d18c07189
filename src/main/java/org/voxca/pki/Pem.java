package org.voxca.pki;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.interfaces.ECPrivateKey;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * PEM text in and out. Reading is strict: a malformed block is a {@link PkiException}, never a
 * silent skip. Not responsible for deciding which object types a caller accepts.
 */
public final class Pem {
  private Pem() {}

  /** Every PEM object in {@code text}, in order; text outside BEGIN/END blocks is ignored. */
  public static List<Object> readAll(String text) {
    List<Object> out = new ArrayList<>();
    try (PEMParser parser = new PEMParser(new StringReader(text))) {
      Object o;
      while ((o = parser.readObject()) != null) {
        out.add(o);
      }
    } catch (IOException | RuntimeException e) {
      throw new PkiException("malformed PEM: " + oneLine(e.getMessage()));
    }
    return out;
  }

  /**
   * Encodes certificates, CRLs, CSRs and keys as PEM text: RSA private keys as PKCS#1 (as Puppet
   * writes them), EC private keys as PKCS#8, which keeps the curve with the key.
   */
  public static String encode(Object... objects) {
    StringWriter sw = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
      for (Object o : objects) {
        if (o instanceof ECPrivateKey ec) {
          w.writeObject(new JcaPKCS8Generator(ec, null));
        } else {
          w.writeObject(o);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return sw.toString();
  }

  /**
   * CRLs given as DER, as a PEM chain written exactly as {@link #encode} writes them: a chain
   * rearranged without parsing its CRLs (a 100,000-entry CRL takes a hundred megabytes as an
   * object).
   */
  public static byte[] encodeCrls(List<byte[]> ders) {
    StringWriter sw = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
      for (byte[] der : ders) {
        w.writeObject(new org.bouncycastle.util.io.pem.PemObject("X509 CRL", der));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return sw.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  static String oneLine(String s) {
    if (s == null) {
      return "unreadable data";
    }
    String t = s.replaceAll("[\\r\\n]+", " ").trim();
    return t.length() > 200 ? t.substring(0, 200) : t;
  }
}
