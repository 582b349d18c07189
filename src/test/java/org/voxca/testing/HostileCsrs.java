package org.voxca.testing;

import java.io.IOException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequestBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.voxca.pki.Keys;
import org.voxca.pki.Names;
import org.voxca.pki.Pem;

/**
 * CSRs a careful CA must refuse, built by hand: repeated extensions, several extension requests,
 * alt names of every refused type, malformed values, weak keys and weak signatures. Each entry is a
 * name (what it tries) and its PEM, for a CSR whose CN is {@code cn}.
 */
public final class HostileCsrs {
  private static final KeyPair RSA_1024 = rsa(1024);
  private static final KeyPair RSA_2048 = Keys.rsa(2048);
  private static final ASN1ObjectIdentifier PP_ROLE =
      new ASN1ObjectIdentifier("1.3.6.1.4.1.34380.1.1.13");

  private HostileCsrs() {}

  /** Every hostile CSR, keyed by what it tries; each must be refused with a 400 at submission. */
  public static Map<String, String> all(String cn) throws Exception {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    Extension role = utf8(PP_ROLE, "web");
    out.put(
        "extension twice in one request",
        build(cn, TestPki.ecKey(), "SHA256withECDSA", List.of(List.of(role, role))));
    out.put(
        "extension in two requests",
        build(
            cn,
            TestPki.ecKey(),
            "SHA256withECDSA",
            List.of(List.of(role), List.of(utf8(PP_ROLE, "db")))));
    out.put(
        "malformed subjectAltName",
        build(
            cn,
            TestPki.ecKey(),
            "SHA256withECDSA",
            List.of(
                List.of(
                    new Extension(
                        Extension.subjectAlternativeName,
                        false,
                        new DEROctetString(new byte[] {0x30, 0x05, (byte) 0x82, 0x09, 'x'}))))));
    out.put("critical subjectAltName", san(cn, true, new GeneralName(GeneralName.dNSName, cn)));
    out.put(
        "URI alt name",
        san(
            cn,
            false,
            new GeneralName(GeneralName.uniformResourceIdentifier, "https://evil.test/")));
    out.put(
        "email alt name",
        san(cn, false, new GeneralName(GeneralName.rfc822Name, "root@evil.test")));
    out.put("directoryName alt name", san(cn, false, new GeneralName(Names.cn("Puppet CA: evil"))));
    out.put(
        "registeredID alt name",
        san(cn, false, new GeneralName(GeneralName.registeredID, "1.2.3.4")));
    out.put(
        "otherName alt name",
        san(
            cn,
            false,
            new GeneralName(
                GeneralName.otherName,
                new DERSequence(
                    new ASN1Encodable[] {
                      new ASN1ObjectIdentifier("1.3.6.1.4.1.311.20.2.3"),
                      new DERTaggedObject(true, 0, new DERUTF8String("admin@evil"))
                    }))));
    out.put(
        "pp_role as an integer",
        build(
            cn,
            TestPki.ecKey(),
            "SHA256withECDSA",
            List.of(
                List.of(
                    new Extension(
                        PP_ROLE, false, new DEROctetString(new ASN1Integer(7).getEncoded()))))));
    out.put(
        "malformed basicConstraints",
        build(
            cn,
            TestPki.ecKey(),
            "SHA256withECDSA",
            List.of(
                List.of(
                    new Extension(
                        Extension.basicConstraints,
                        false,
                        new DEROctetString(new byte[] {0x30, 0x03, 0x01, 0x01}))))));
    out.put("RSA-1024 key", build(cn, RSA_1024, "SHA256withRSA", List.of()));
    out.put("DSA key", build(cn, dsa(), "SHA256withDSA", List.of()));
    out.put(
        "Ed25519 key",
        build(cn, KeyPairGenerator.getInstance("Ed25519").generateKeyPair(), "Ed25519", List.of()));
    out.put("SHA-1 signature", build(cn, RSA_2048, "SHA1withRSA", List.of()));
    out.put("MD5 signature", build(cn, RSA_2048, "MD5withRSA", List.of()));
    return out;
  }

  /** A CSR asking to be a CA (basicConstraints CA:TRUE). */
  public static String caRequest(String cn) throws Exception {
    return build(
        cn,
        TestPki.ecKey(),
        "SHA256withECDSA",
        List.of(
            List.of(
                new Extension(
                    Extension.basicConstraints,
                    true,
                    new DEROctetString(new BasicConstraints(true).getEncoded())))));
  }

  /** A CSR with the given alt names (DNS names of {@code cn} or others). */
  public static String withDnsAltNames(String cn, String... names) throws Exception {
    GeneralName[] g = new GeneralName[names.length];
    for (int i = 0; i < names.length; i++) {
      g[i] = new GeneralName(GeneralName.dNSName, names[i]);
    }
    return san(cn, false, g);
  }

  private static String san(String cn, boolean critical, GeneralName... names) throws Exception {
    return build(
        cn,
        TestPki.ecKey(),
        "SHA256withECDSA",
        List.of(
            List.of(
                new Extension(
                    Extension.subjectAlternativeName,
                    critical,
                    new DEROctetString(new GeneralNames(names).getEncoded())))));
  }

  private static Extension utf8(ASN1ObjectIdentifier oid, String v) throws IOException {
    return new Extension(oid, false, new DEROctetString(new DERUTF8String(v).getEncoded()));
  }

  /** A CSR with one extension-request attribute value per inner list, extensions kept as given. */
  private static String build(String cn, KeyPair key, String alg, List<List<Extension>> requests)
      throws Exception {
    PKCS10CertificationRequestBuilder b =
        new JcaPKCS10CertificationRequestBuilder(Names.cn(cn), key.getPublic());
    List<ASN1Encodable> values = new ArrayList<>();
    for (List<Extension> exts : requests) {
      values.add(new DERSequence(exts.toArray(new ASN1Encodable[0])));
    }
    if (!values.isEmpty()) {
      b.addAttribute(
          PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, values.toArray(new ASN1Encodable[0]));
    }
    return Pem.encode(b.build(new JcaContentSignerBuilder(alg).build(key.getPrivate())));
  }

  private static KeyPair rsa(int bits) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(bits);
      return g.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair dsa() throws NoSuchAlgorithmException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("DSA");
    g.initialize(2048);
    return g.generateKeyPair();
  }
}
