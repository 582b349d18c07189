package org.voxca.ca;

import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.voxca.pki.Csr;
import org.voxca.pki.PuppetOids;
import org.voxca.pki.San;

/**
 * Puppet's signing policy for a CSR, in Puppet's order: subject-alt-name policy,
 * authorization-extension policy, extension whitelist, signature. Each failure carries Puppet's
 * exact message.
 */
final class CsrPolicy {
  static final String BAD_SIGNATURE =
      "CSR contains a public key that does not correspond to the signing key";
  private final boolean allowSubjectAltNames;
  private final boolean allowAuthorizationExtensions;

  CsrPolicy(CaSettings settings) {
    this.allowSubjectAltNames = settings.allowSubjectAltNames();
    this.allowAuthorizationExtensions = settings.allowAuthorizationExtensions();
  }

  void check(Csr csr) {
    String cn = csr.commonName();
    checkAltNames(csr, cn);
    checkAuthorizationExtensions(csr, cn);
    checkWhitelist(csr);
    if (!csr.signatureValid()) {
      throw CaException.invalid(BAD_SIGNATURE);
    }
  }

  private void checkAltNames(Csr csr, String cn) {
    if (allowSubjectAltNames) {
      return;
    }
    GeneralNames san = csr.subjectAltNames();
    if (san == null) {
      return;
    }
    List<String> entries = new ArrayList<>();
    for (GeneralName n : san.getNames()) {
      if (n.getTagNo() == GeneralName.iPAddress) {
        entries.add("IP:" + San.text(n));
      }
    }
    for (GeneralName n : san.getNames()) {
      if (n.getTagNo() == GeneralName.dNSName) {
        entries.add("DNS:" + San.text(n));
      }
    }
    if (entries.isEmpty() || (entries.size() == 1 && entries.get(0).equals("DNS:" + cn))) {
      return;
    }
    entries.remove("DNS:" + cn);
    throw CaException.invalid(
        "CSR '"
            + cn
            + "' contains extra subject alternative names ("
            + String.join(", ", entries)
            + "), which are disallowed. To allow subject alternative names, set allow-subject-alt-names"
            + " to true in your ca.conf file. Then restart the puppetserver and try signing this"
            + " certificate again.");
  }

  private void checkAuthorizationExtensions(Csr csr, String cn) {
    if (allowAuthorizationExtensions) {
      return;
    }
    for (Extension e : csr.extensions()) {
      if (e.getExtnId().on(PuppetOids.AUTH_CERT_EXT)) {
        throw CaException.invalid(
            "CSR '"
                + cn
                + "' contains an authorization extension, which is disallowed. To allow"
                + " authorization extensions, set allow-authorization-extensions to true in your"
                + " ca.conf file. Then restart the puppetserver and try signing this certificate"
                + " again.");
      }
    }
  }

  private static void checkWhitelist(Csr csr) {
    List<String> bad = new ArrayList<>();
    for (Extension e : csr.extensions()) {
      if (!allowed(e.getExtnId())) {
        bad.add(e.getExtnId().getId());
      }
    }
    if (!bad.isEmpty()) {
      throw CaException.invalid(
          "Found extensions that are not permitted: " + String.join(", ", bad));
    }
  }

  /** SAN, or anything strictly under pp reg/priv/auth arcs except pp_cli_auth. */
  static boolean allowed(ASN1ObjectIdentifier oid) {
    if (oid.equals(Extension.subjectAlternativeName)) {
      return true;
    }
    if (oid.equals(PuppetOids.PP_CLI_AUTH)) {
      return false;
    }
    return oid.on(PuppetOids.REG_CERT_EXT)
        || oid.on(PuppetOids.PRIV_CERT_EXT)
        || oid.on(PuppetOids.AUTH_CERT_EXT);
  }

  /** The extensions a signed certificate copies from the CSR (all but SAN, handled apart). */
  static List<Extension> copied(Csr csr) {
    List<Extension> out = new ArrayList<>();
    for (Extension e : csr.extensions()) {
      if (!e.getExtnId().equals(Extension.subjectAlternativeName) && allowed(e.getExtnId())) {
        out.add(e);
      }
    }
    return out;
  }
}
