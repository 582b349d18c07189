package org.voxca.pki;

import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/** Distinguished-name helpers in Puppet's conventions. */
public final class Names {
  private Names() {}

  /** {@code CN=<name>} with the CN as a UTF8String, the only RDN. */
  public static X500Name cn(String name) {
    return new X500Name(new RDN[] {new RDN(BCStyle.CN, new DERUTF8String(name))});
  }

  public static X500Name of(X500Principal p) {
    return X500Name.getInstance(p.getEncoded());
  }

  public static String commonName(X500Principal p) {
    return commonName(of(p));
  }

  public static String commonName(X500Name n) {
    RDN[] cns = n.getRDNs(BCStyle.CN);
    if (cns.length == 0 || cns[0].getFirst() == null) {
      return "";
    }
    return IETFUtils.valueToString(cns[0].getFirst().getValue());
  }

  /** Puppet's inventory rendering of a subject: {@code /CN=name}, multi-RDN joined by ','. */
  public static String inventorySubject(X500Principal p) {
    return "/" + of(p).toString();
  }
}
