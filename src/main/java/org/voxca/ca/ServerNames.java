package org.voxca.ca;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.voxca.pki.Csr;
import org.voxca.pki.San;

/**
 * The names agents know the CA server by — its certname and its {@code dns_alt_names} (Puppet's
 * default server name {@code puppet} among them). A CSR claiming one of them, as its name or as an
 * alt name, could impersonate the server: it is never autosigned, and its certificate (the one the
 * server itself serves) cannot be revoked or cleaned through the API.
 */
final class ServerNames {
  private final String certname;
  private final Set<String> names = new HashSet<>();

  ServerNames(CaSettings settings) {
    this.certname = settings.certname();
    names.add(settings.certname().toLowerCase(Locale.ROOT));
    for (String alt : settings.dnsAltNames()) {
      String n = alt.startsWith("DNS:") ? alt.substring(4) : alt;
      names.add(n.toLowerCase(Locale.ROOT));
    }
  }

  /** The server's own certname. */
  boolean isServer(String name) {
    return certname.equals(name);
  }

  /** The first of the server's names the CSR claims (as its name or an alt name), or null. */
  String claimedBy(String name, Csr csr) {
    if (names.contains(name)) {
      return name;
    }
    GeneralNames san = csr.subjectAltNames();
    if (san == null) {
      return null;
    }
    for (GeneralName n : san.getNames()) {
      String text = San.text(n);
      if (text == null) {
        continue;
      }
      String key = n.getTagNo() == GeneralName.iPAddress ? "ip:" + text : text;
      String t = key.toLowerCase(Locale.ROOT);
      if (names.contains(t)
          || names.contains(t.endsWith(".") ? t.substring(0, t.length() - 1) : t)) {
        return text;
      }
    }
    return null;
  }
}
