package org.voxca.pki;

import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.Extension;

/** Reading extension values of an issued certificate as Puppet's text values. */
public final class CertExtensions {
  private CertExtensions() {}

  /** The text value of extension {@code oid}, or null when absent. */
  public static String text(X509Certificate cert, String oid) {
    byte[] ext = cert.getExtensionValue(oid);
    if (ext == null) {
      return null;
    }
    try {
      ASN1OctetString octets = ASN1OctetString.getInstance(ext);
      return Csr.extensionText(new Extension(new ASN1ObjectIdentifier(oid), false, octets));
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Every extension strictly under {@code arc}: dotted OID → text value. */
  public static Map<String, String> under(X509Certificate cert, ASN1ObjectIdentifier arc) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String set : new String[] {"c", "n"}) {
      Set<String> oids =
          set.equals("c") ? cert.getCriticalExtensionOIDs() : cert.getNonCriticalExtensionOIDs();
      if (oids == null) {
        continue;
      }
      for (String oid : oids) {
        if (new ASN1ObjectIdentifier(oid).on(arc)) {
          out.put(oid, text(cert, oid));
        }
      }
    }
    return out;
  }
}
