package org.voxca.pki;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;

/** Puppet's registered OIDs (arc 1.3.6.1.4.1.34380) and their short names. */
public final class PuppetOids {
  private PuppetOids() {}

  public static final String PUPPET = "1.3.6.1.4.1.34380";
  public static final ASN1ObjectIdentifier REG_CERT_EXT = new ASN1ObjectIdentifier(PUPPET + ".1.1");
  public static final ASN1ObjectIdentifier PRIV_CERT_EXT =
      new ASN1ObjectIdentifier(PUPPET + ".1.2");
  public static final ASN1ObjectIdentifier AUTH_CERT_EXT =
      new ASN1ObjectIdentifier(PUPPET + ".1.3");
  public static final ASN1ObjectIdentifier PP_AUTH_AUTO_RENEW =
      new ASN1ObjectIdentifier(PUPPET + ".1.3.2");
  public static final ASN1ObjectIdentifier PP_CLI_AUTH =
      new ASN1ObjectIdentifier(PUPPET + ".1.3.39");
  public static final ASN1ObjectIdentifier NETSCAPE_COMMENT =
      new ASN1ObjectIdentifier("2.16.840.1.113730.1.13");

  private static final Map<String, String> SHORT_NAMES = build();

  private static Map<String, String> build() {
    Map<String, String> m = new LinkedHashMap<>();
    String[] reg = {
      "pp_uuid", "pp_instance_id", "pp_image_name", "pp_preshared_key", "pp_cost_center",
          "pp_product",
      "pp_project", "pp_application", "pp_service", "pp_employee", "pp_created_by",
          "pp_environment",
      "pp_role", "pp_software_version", "pp_department", "pp_cluster", "pp_provisioner",
          "pp_region",
      "pp_datacenter", "pp_zone", "pp_network", "pp_securitypolicy", "pp_cloudplatform",
          "pp_apptier",
      "pp_hostname", "pp_owner"
    };
    for (int i = 0; i < reg.length; i++) {
      m.put(PUPPET + ".1.1." + (i + 1), reg[i]);
    }
    m.put(PUPPET + ".1.3.1", "pp_authorization");
    m.put(PUPPET + ".1.3.2", "pp_auth_auto_renew");
    m.put(PUPPET + ".1.3.13", "pp_auth_role");
    m.put(PUPPET + ".1.3.39", "pp_cli_auth");
    return Collections.unmodifiableMap(m);
  }

  /** OID → short name for the built-in table. */
  public static Map<String, String> shortNames() {
    return SHORT_NAMES;
  }

  /** Short name, or the dotted OID itself when the table has none. */
  public static String shortName(String oid) {
    return SHORT_NAMES.getOrDefault(oid, oid);
  }
}
