package org.voxca.http.console;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;

/**
 * The standard X.509 extensions a Puppet CA issues or an agent requests, by name and as an operator
 * reads them (OpenSSL's words); any other extension by its OID and raw value.
 */
final class X509Text {
  private static final String NS_COMMENT = "2.16.840.1.113730.1.13";

  private static final Map<String, String> NAMES =
      Map.of(
          Extension.subjectAlternativeName.getId(),
          "subjectAltName",
          Extension.keyUsage.getId(),
          "keyUsage",
          Extension.extendedKeyUsage.getId(),
          "extendedKeyUsage",
          Extension.basicConstraints.getId(),
          "basicConstraints",
          Extension.subjectKeyIdentifier.getId(),
          "subjectKeyIdentifier",
          Extension.authorityKeyIdentifier.getId(),
          "authorityKeyIdentifier",
          NS_COMMENT,
          "nsComment");

  private static final String[] KEY_USAGES = {
    "digitalSignature",
    "nonRepudiation",
    "keyEncipherment",
    "dataEncipherment",
    "keyAgreement",
    "keyCertSign",
    "cRLSign",
    "encipherOnly",
    "decipherOnly"
  };

  private static final Map<KeyPurposeId, String> PURPOSES =
      Map.of(
          KeyPurposeId.id_kp_serverAuth, "serverAuth",
          KeyPurposeId.id_kp_clientAuth, "clientAuth",
          KeyPurposeId.id_kp_codeSigning, "codeSigning",
          KeyPurposeId.id_kp_emailProtection, "emailProtection",
          KeyPurposeId.id_kp_OCSPSigning, "OCSPSigning",
          KeyPurposeId.id_kp_timeStamping, "timeStamping");

  private X509Text() {}

  static String name(String oid) {
    return NAMES.getOrDefault(oid, oid);
  }

  /** The value of a standard extension in words; null when it is not one this class reads. */
  static String value(Extension e) {
    ASN1Encodable v = e.getParsedValue();
    try {
      if (e.getExtnId().equals(Extension.keyUsage)) {
        KeyUsage ku = KeyUsage.getInstance(v);
        List<String> out = new ArrayList<>();
        int[] bits = {
          KeyUsage.digitalSignature,
          KeyUsage.nonRepudiation,
          KeyUsage.keyEncipherment,
          KeyUsage.dataEncipherment,
          KeyUsage.keyAgreement,
          KeyUsage.keyCertSign,
          KeyUsage.cRLSign,
          KeyUsage.encipherOnly,
          KeyUsage.decipherOnly
        };
        for (int i = 0; i < bits.length; i++) {
          if (ku.hasUsages(bits[i])) {
            out.add(KEY_USAGES[i]);
          }
        }
        return String.join(", ", out);
      }
      if (e.getExtnId().equals(Extension.extendedKeyUsage)) {
        List<String> out = new ArrayList<>();
        for (KeyPurposeId p : ExtendedKeyUsage.getInstance(v).getUsages()) {
          out.add(PURPOSES.getOrDefault(p, p.getId()));
        }
        return String.join(", ", out);
      }
      if (e.getExtnId().equals(Extension.basicConstraints)) {
        BasicConstraints bc = BasicConstraints.getInstance(v);
        return bc.isCA()
            ? "CA:TRUE"
                + (bc.getPathLenConstraint() == null
                    ? ""
                    : ", pathlen:" + bc.getPathLenConstraint())
            : "CA:FALSE";
      }
      if (e.getExtnId().equals(Extension.subjectKeyIdentifier)) {
        return hex(ASN1OctetString.getInstance(v).getOctets());
      }
      if (e.getExtnId().equals(Extension.authorityKeyIdentifier)) {
        byte[] id = AuthorityKeyIdentifier.getInstance(v).getKeyIdentifierOctets();
        return id == null ? "" : "keyid:" + hex(id);
      }
      if (e.getExtnId().getId().equals(NS_COMMENT) && v instanceof ASN1String s) {
        return s.getString();
      }
    } catch (IllegalArgumentException bad) {
      return "unreadable: " + bad.getMessage();
    }
    return null;
  }

  private static String hex(byte[] b) {
    return HexFormat.ofDelimiter(":").withUpperCase().formatHex(b);
  }
}
