package org.voxca.it;

import java.security.Signature;
import java.util.Base64;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.voxca.pki.Names;
import org.voxca.testing.TestPki;

/** Hand-built CSRs with a version field other than 0, as puppetserver-ca-cli 2.4.0 writes. */
final class CsrVersions {
  private CsrVersions() {}

  static String withVersion(String cn, int version) throws Exception {
    var key = TestPki.ecKey();
    ASN1EncodableVector info = new ASN1EncodableVector();
    info.add(new ASN1Integer(version));
    info.add(Names.cn(cn));
    info.add(SubjectPublicKeyInfo.getInstance(key.getPublic().getEncoded()));
    info.add(new DERTaggedObject(false, 0, new DERSet()));
    DERSequence infoSeq = new DERSequence(info);
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign(key.getPrivate());
    s.update(infoSeq.getEncoded("DER"));
    ASN1EncodableVector req = new ASN1EncodableVector();
    req.add(infoSeq);
    req.add(new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256));
    req.add(new DERBitString(s.sign()));
    String b64 =
        Base64.getMimeEncoder(64, "\n".getBytes())
            .encodeToString(new DERSequence(req).getEncoded("DER"));
    return "-----BEGIN CERTIFICATE REQUEST-----\n" + b64 + "\n-----END CERTIFICATE REQUEST-----\n";
  }
}
