package org.voxca.http.console;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.voxca.ca.CertificateAuthority;
import org.voxca.ca.Document;
import org.voxca.ca.PendingNote;
import org.voxca.pki.CertExtensions;
import org.voxca.pki.Certificates;
import org.voxca.pki.Csr;
import org.voxca.pki.Fingerprints;
import org.voxca.pki.PuppetOids;
import org.voxca.pki.San;

/**
 * What an operator must see before signing one pending CSR: its fingerprint, key, every alt name,
 * every extension by name, its age, why it was not autosigned, and the warnings — a server name
 * claimed, a name that already holds a valid certificate (with that certificate's alt names and
 * extensions beside the request's), an authorization extension.
 */
record CsrReview(
    String name,
    String fingerprint,
    String key,
    List<String> altNames,
    Map<String, String> extensions,
    Instant submitted,
    String requester,
    String reason,
    List<String> warnings,
    Existing existing) {

  /** The valid certificate the name already holds, for the side-by-side view. */
  record Existing(
      String serial, Instant notAfter, List<String> altNames, Map<String, String> extensions) {}

  /** The SHA-256 fingerprint a review shows, and a signature must name, of a stored CSR. */
  static String fingerprint(Document pending) {
    return Fingerprints.sha256(
        Csr.fromPem(new String(pending.bytes(), StandardCharsets.UTF_8)).encoded());
  }

  static CsrReview of(CertificateAuthority ca, String name, Document pending, Instant now) {
    byte[] pem = pending.bytes();
    Csr csr = Csr.fromPem(new String(pem, StandardCharsets.UTF_8));
    List<String> alt = altNames(csr.subjectAltNames());
    Map<String, String> ext = extensions(csr.extensions());
    if (csr.challengePassword() != null) {
      ext.put("challengePassword", "present (not shown)");
    }
    var note = ca.pendingNote(name);
    List<String> warnings = new ArrayList<>();
    String claimed = ca.claimedServerName(name, csr);
    if (claimed != null) {
      warnings.add(
          "Claims the CA server's own name "
              + claimed
              + ": a certificate for it could impersonate the server.");
    }
    for (Extension e : csr.extensions()) {
      if (e.getExtnId().on(PuppetOids.AUTH_CERT_EXT)
          || e.getExtnId().equals(PuppetOids.PP_CLI_AUTH)) {
        warnings.add(
            "Requests the authorization extension "
                + PuppetOids.shortName(e.getExtnId().getId())
                + " = "
                + Csr.extensionText(e)
                + ": auth.conf rules may grant it access.");
      }
    }
    Existing existing = existing(ca, name, now);
    if (existing != null) {
      warnings.add(
          "Already holds a valid certificate (serial "
              + existing.serial()
              + ", until "
              + existing.notAfter()
              + "); signing replaces it.");
    }
    return new CsrReview(
        name,
        Fingerprints.sha256(csr.encoded()),
        key(csr.publicKeyInfo()),
        alt,
        ext,
        pending.modified(),
        note.map(PendingNote::requester).orElse("not recorded"),
        note.map(PendingNote::reason).orElse("not recorded (stored by another CA)"),
        warnings,
        existing);
  }

  private static Existing existing(CertificateAuthority ca, String name, Instant now) {
    var doc = ca.certificate(name);
    if (doc.isEmpty()) {
      return null;
    }
    X509Certificate cert =
        Certificates.readCertificates(new String(doc.get().bytes(), StandardCharsets.UTF_8)).get(0);
    if (!cert.getNotAfter().toInstant().isAfter(now) || ca.isRevoked(cert.getSerialNumber())) {
      return null;
    }
    Map<String, String> ext = new LinkedHashMap<>();
    for (String oid : cert.getNonCriticalExtensionOIDs()) {
      if (oid.startsWith(PuppetOids.PUPPET + ".")) {
        ext.put(PuppetOids.shortName(oid), CertExtensions.text(cert, oid));
      }
    }
    return new Existing(
        cert.getSerialNumber().toString(16).toUpperCase(java.util.Locale.ROOT),
        cert.getNotAfter().toInstant(),
        altNames(San.of(cert)),
        ext);
  }

  /** Every alt name, of every kind, labelled as OpenSSL prints them. */
  static List<String> altNames(GeneralNames names) {
    List<String> out = new ArrayList<>();
    if (names == null) {
      return out;
    }
    for (GeneralName n : names.getNames()) {
      String label =
          switch (n.getTagNo()) {
            case GeneralName.dNSName -> "DNS";
            case GeneralName.iPAddress -> "IP";
            case GeneralName.rfc822Name -> "email";
            case GeneralName.uniformResourceIdentifier -> "URI";
            case GeneralName.directoryName -> "DirName";
            case GeneralName.registeredID -> "RID";
            default -> "othername";
          };
      String text = San.text(n);
      out.add(label + ":" + (text == null ? n.getName().toString() : text));
    }
    return out;
  }

  /** Every extension by its name (Puppet's short names for pp_* OIDs), with its value as text. */
  static Map<String, String> extensions(List<Extension> list) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Extension e : list) {
      String oid = e.getExtnId().getId();
      String label;
      String value;
      if (oid.startsWith(PuppetOids.PUPPET + ".")) {
        label = PuppetOids.shortName(oid);
        value = Csr.extensionText(e);
      } else {
        label = X509Text.name(oid);
        String words = X509Text.value(e);
        value =
            oid.equals(Extension.subjectAlternativeName.getId())
                ? String.join(", ", altNames(GeneralNames.getInstance(e.getParsedValue())))
                : words != null ? words : e.getParsedValue().toString();
      }
      out.put(label + (e.isCritical() ? " (critical)" : ""), value);
    }
    return out;
  }

  /** "RSA 2048", "EC 256 (prime256v1)", or the algorithm's OID. */
  static String key(SubjectPublicKeyInfo info) {
    return org.voxca.pki.PublicKeys.describe(info);
  }
}
