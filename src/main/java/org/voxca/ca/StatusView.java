package org.voxca.ca;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x509.Extension;
import org.voxca.pki.Csr;
import org.voxca.pki.DigestFingerprints;
import org.voxca.pki.Fingerprints;
import org.voxca.pki.PuppetOids;
import org.voxca.pki.San;
import org.voxca.store.CertificateRecord;

/** Builds {@link CertStatus} values from certificates and CSRs, in Puppet's text forms. */
final class StatusView {
  private StatusView() {}

  /** From the store's in-memory record: the same status, without reading the certificate. */
  static CertStatus of(CertificateRecord r, boolean revoked) {
    Map<String, String> m =
        new DigestFingerprints(
            r.digests(),
            CertificateRecord.SHA1,
            CertificateRecord.SHA256,
            CertificateRecord.SHA512);
    List<String> ipFirst = r.subjectAltNames();
    return new CertStatus(
        r.name(),
        revoked ? CertStatus.REVOKED : CertStatus.SIGNED,
        m,
        dnsOnly(ipFirst),
        ipFirst,
        r.authorizationExtensions(),
        r.serial(),
        r.notBefore(),
        r.notAfter(),
        null);
  }

  static CertStatus of(String name, Csr csr, String pendingReason) {
    var san = csr.subjectAltNames();
    Map<String, String> auth = new LinkedHashMap<>();
    for (Extension e : csr.extensions()) {
      if (e.getExtnId().on(PuppetOids.AUTH_CERT_EXT)) {
        auth.put(PuppetOids.shortName(e.getExtnId().getId()), Csr.extensionText(e));
      }
    }
    return new CertStatus(
        name,
        CertStatus.REQUESTED,
        fingerprints(csr.encoded()),
        dnsOnly(San.entries(san, false)),
        San.entries(san, true),
        auth,
        null,
        null,
        null,
        pendingReason);
  }

  private static List<String> dnsOnly(List<String> entries) {
    List<String> out = new ArrayList<>();
    for (String e : entries) {
      if (e.startsWith("DNS:")) {
        out.add(e);
      }
    }
    return out;
  }

  private static Map<String, String> fingerprints(byte[] der) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("SHA1", Fingerprints.of("SHA-1", der));
    String sha256 = Fingerprints.sha256(der);
    m.put("SHA256", sha256);
    m.put("SHA512", Fingerprints.of("SHA-512", der));
    m.put("default", sha256);
    return m;
  }
}
