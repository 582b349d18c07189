package org.voxca.pki;

import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** Builds a CSR as an agent does: {@code CN=<name>}, SAN of the alt names plus the name itself. */
public final class CsrBuilder {
  private CsrBuilder() {}

  public static PKCS10CertificationRequest build(String name, KeyPair key, List<String> altNames) {
    try {
      JcaPKCS10CertificationRequestBuilder b =
          new JcaPKCS10CertificationRequestBuilder(Names.cn(name), key.getPublic());
      if (!altNames.isEmpty()) {
        List<GeneralName> sans = new ArrayList<>();
        for (String a : altNames) {
          sans.add(
              a.startsWith("IP:")
                  ? new GeneralName(GeneralName.iPAddress, a.substring(3))
                  : new GeneralName(
                      GeneralName.dNSName, a.startsWith("DNS:") ? a.substring(4) : a));
        }
        if (!altNames.contains(name) && !altNames.contains("DNS:" + name)) {
          sans.add(new GeneralName(GeneralName.dNSName, name));
        }
        ExtensionsGenerator g = new ExtensionsGenerator();
        g.addExtension(
            Extension.subjectAlternativeName,
            false,
            new GeneralNames(sans.toArray(new GeneralName[0])));
        b.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, g.generate());
      }
      return b.build(
          new JcaContentSignerBuilder(Keys.signatureAlgorithm(key.getPrivate()))
              .build(key.getPrivate()));
    } catch (Exception e) {
      throw new PkiException("cannot build a certificate request for " + name, e);
    }
  }
}
