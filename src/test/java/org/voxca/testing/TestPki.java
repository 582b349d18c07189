package org.voxca.testing;

import java.io.IOException;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.voxca.pki.CertBuilder;
import org.voxca.pki.Issuer;
import org.voxca.pki.Keys;
import org.voxca.pki.Names;
import org.voxca.pki.Pem;

/** Test CSRs and certificates: EC P-256 keys by default, RSA-2048 on request. */
public final class TestPki {
  private TestPki() {}

  private static final KeyPair SHARED_EC = Keys.ec("secp256r1");

  public static KeyPair ecKey() {
    return SHARED_EC;
  }

  public static KeyPair freshEcKey() {
    return Keys.ec("secp256r1");
  }

  public static CsrSpec csr(String cn) {
    return new CsrSpec(cn);
  }

  /** A CSR under construction. */
  public static final class CsrSpec {
    private X500Name subject;
    private KeyPair key = SHARED_EC;
    private final List<GeneralName> sans = new ArrayList<>();
    private final List<Extension> extensions = new ArrayList<>();
    private final List<ASN1ObjectIdentifier[]> attrs = new ArrayList<>();
    private boolean autoRenew;
    private boolean corruptSignature;
    private String challengePassword;

    CsrSpec(String cn) {
      subject = Names.cn(cn);
    }

    public CsrSpec key(KeyPair k) {
      key = k;
      return this;
    }

    public CsrSpec subject(X500Name s) {
      subject = s;
      return this;
    }

    public CsrSpec dns(String... names) {
      for (String n : names) {
        sans.add(new GeneralName(GeneralName.dNSName, n));
      }
      return this;
    }

    public CsrSpec ip(String ip) {
      sans.add(new GeneralName(GeneralName.iPAddress, ip));
      return this;
    }

    public CsrSpec extension(String oid, boolean critical, String utf8Value) {
      try {
        extensions.add(
            new Extension(
                new ASN1ObjectIdentifier(oid),
                critical,
                new DERUTF8String(utf8Value).getEncoded()));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      return this;
    }

    /**
     * The PKCS#9 challengePassword attribute, as csr_attributes.yaml's custom_attributes set it.
     */
    public CsrSpec challengePassword(String value) {
      challengePassword = value;
      return this;
    }

    public CsrSpec autoRenew() {
      autoRenew = true;
      return this;
    }

    public CsrSpec corruptSignature() {
      corruptSignature = true;
      return this;
    }

    public PKCS10CertificationRequest build() {
      try {
        JcaPKCS10CertificationRequestBuilder b =
            new JcaPKCS10CertificationRequestBuilder(subject, key.getPublic());
        ExtensionsGenerator g = new ExtensionsGenerator();
        if (!sans.isEmpty()) {
          g.addExtension(
              Extension.subjectAlternativeName,
              false,
              new GeneralNames(sans.toArray(new GeneralName[0])));
        }
        for (Extension e : extensions) {
          g.addExtension(e);
        }
        if (!g.isEmpty()) {
          b.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, g.generate());
        }
        if (challengePassword != null) {
          b.addAttribute(
              PKCSObjectIdentifiers.pkcs_9_at_challengePassword,
              new DERUTF8String(challengePassword));
        }
        if (autoRenew) {
          b.addAttribute(
              new ASN1ObjectIdentifier("1.3.6.1.4.1.34380.1.3.2"),
              new ASN1Encodable[] {new DERPrintableString("true")});
        }
        String alg =
            key.getPrivate().getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        PKCS10CertificationRequest r =
            b.build(new JcaContentSignerBuilder(alg).build(key.getPrivate()));
        if (corruptSignature) {
          byte[] der = r.getEncoded();
          der[der.length - 5] ^= 0x5A;
          r = new PKCS10CertificationRequest(der);
        }
        return r;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    public String pem() {
      return Pem.encode(build());
    }
  }

  /** Issues an agent certificate directly with the CA key (no HTTP), for client identities. */
  public static X509Certificate issue(
      Issuer ca, String name, KeyPair key, BigInteger serial, boolean cliAuth) {
    return issue(ca, name, key, serial, cliAuth, Instant.now().plus(Duration.ofDays(30)));
  }

  /**
   * As {@link #issue(Issuer, String, KeyPair, BigInteger, boolean)}, valid until {@code notAfter}.
   */
  public static X509Certificate issue(
      Issuer ca, String name, KeyPair key, BigInteger serial, boolean cliAuth, Instant notAfter) {
    Instant now = Instant.now();
    return CertBuilder.leaf(
        ca,
        new CertBuilder.Leaf(
            name,
            SubjectPublicKeyInfo.getInstance(key.getPublic().getEncoded()),
            serial,
            now.minus(Duration.ofDays(1)),
            notAfter,
            new GeneralNames(new GeneralName(GeneralName.dNSName, name)),
            false,
            List.of(),
            cliAuth));
  }

  /** True when PKIX (no revocation) validates {@code path}, leaf first, up to {@code anchor}. */
  public static boolean pkixVerifies(List<X509Certificate> path, X509Certificate anchor) {
    try {
      java.security.cert.PKIXParameters p =
          new java.security.cert.PKIXParameters(
              java.util.Set.of(new java.security.cert.TrustAnchor(anchor, null)));
      p.setRevocationEnabled(false);
      java.security.cert.CertPathValidator.getInstance("PKIX")
          .validate(
              java.security.cert.CertificateFactory.getInstance("X.509").generateCertPath(path), p);
      return true;
    } catch (java.security.GeneralSecurityException e) {
      return false;
    }
  }
}
