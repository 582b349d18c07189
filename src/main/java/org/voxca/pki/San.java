package org.voxca.pki;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;

/** Subject-alternative-name helpers in Puppet's text forms ({@code DNS:x}, {@code IP:x}). */
public final class San {
  private San() {}

  /** The text of a DNS or IP entry (IP as a dotted or RFC 5952 address). */
  public static String text(GeneralName n) {
    if (n.getTagNo() == GeneralName.iPAddress) {
      byte[] addr = ASN1OctetString.getInstance(n.getName()).getOctets();
      try {
        return InetAddress.getByAddress(addr).getHostAddress();
      } catch (UnknownHostException e) {
        return "invalid";
      }
    }
    return n.getName() instanceof ASN1String s ? s.getString() : n.getName().toString();
  }

  /** The CSR's SAN with {@code DNS:<certname>} appended when missing, or a SAN of just that. */
  public static GeneralNames withCertname(GeneralNames requested, String certname) {
    List<GeneralName> names = new ArrayList<>();
    boolean present = false;
    if (requested != null) {
      for (GeneralName n : requested.getNames()) {
        names.add(n);
        present |= n.getTagNo() == GeneralName.dNSName && text(n).equals(certname);
      }
    }
    if (!present) {
      names.add(new GeneralName(GeneralName.dNSName, certname));
    }
    return new GeneralNames(names.toArray(new GeneralName[0]));
  }

  /** {@code DNS:}-prefixed and {@code IP:}-prefixed entries of a certificate's SAN (IP first). */
  public static List<String> entries(GeneralNames names, boolean ipFirst) {
    List<String> ips = new ArrayList<>();
    List<String> dns = new ArrayList<>();
    if (names != null) {
      for (GeneralName n : names.getNames()) {
        if (n.getTagNo() == GeneralName.iPAddress) {
          ips.add("IP:" + text(n));
        } else if (n.getTagNo() == GeneralName.dNSName) {
          dns.add("DNS:" + text(n));
        }
      }
    }
    List<String> out = new ArrayList<>(ipFirst ? ips : dns);
    out.addAll(ipFirst ? dns : ips);
    return out;
  }

  /** The SAN extension of a certificate, or null. */
  public static GeneralNames of(X509Certificate c) {
    byte[] ext = c.getExtensionValue(Extension.subjectAlternativeName.getId());
    if (ext == null) {
      return null;
    }
    return GeneralNames.getInstance(ASN1OctetString.getInstance(ext).getOctets());
  }

  /** Whether the CSR's SAN extension is marked critical. */
  public static boolean critical(Csr csr) {
    for (Extension e : csr.extensions()) {
      if (e.getExtnId().equals(Extension.subjectAlternativeName)) {
        return e.isCritical();
      }
    }
    return false;
  }
}
