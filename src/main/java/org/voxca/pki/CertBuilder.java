package org.voxca.pki;

import java.io.IOException;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Builds certificates in Puppet Server's profile: agent and server leaves, and a self-signed CA.
 * Pure X.509; no I/O and no policy decisions.
 */
public final class CertBuilder {
  public static final String NETSCAPE_COMMENT = "Puppet Server Internal Certificate";

  private CertBuilder() {}

  /** What varies between leaf certificates. */
  public record Leaf(
      String certname,
      SubjectPublicKeyInfo publicKey,
      BigInteger serial,
      Instant notBefore,
      Instant notAfter,
      GeneralNames subjectAltNames,
      boolean sanCritical,
      List<Extension> extraExtensions,
      boolean cliAuth) {}

  /** A leaf: nsComment, AKI, CA:FALSE, EKU server+client, KU, SKI, SAN, extra pp_* extensions. */
  public static X509Certificate leaf(Issuer issuer, Leaf leaf) {
    X509Certificate ca = issuer.certificate();
    X509v3CertificateBuilder b =
        new X509v3CertificateBuilder(
            Names.of(ca.getSubjectX500Principal()),
            leaf.serial(),
            Date.from(leaf.notBefore()),
            Date.from(leaf.notAfter()),
            Names.cn(leaf.certname()),
            leaf.publicKey());
    try {
      b.addExtension(PuppetOids.NETSCAPE_COMMENT, false, new DERIA5String(NETSCAPE_COMMENT));
      b.addExtension(Extension.authorityKeyIdentifier, false, KeyIds.authorityKeyId(ca));
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(
          Extension.extendedKeyUsage,
          true,
          new ExtendedKeyUsage(
              new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
      b.addExtension(
          Extension.keyUsage,
          true,
          new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      b.addExtension(Extension.subjectKeyIdentifier, false, KeyIds.subjectKeyId(leaf.publicKey()));
      b.addExtension(Extension.subjectAlternativeName, leaf.sanCritical(), leaf.subjectAltNames());
      for (Extension e : leaf.extraExtensions()) {
        if (e.getExtnId().equals(Extension.authorityInfoAccess)) {
          b.addExtension(e); // voxca's own (the OCSP URL), kept as encoded
        } else {
          b.addExtension(e.getExtnId(), e.isCritical(), new DERUTF8String(csrText(e)));
        }
      }
      if (leaf.cliAuth()) {
        b.addExtension(PuppetOids.PP_CLI_AUTH, false, new DERUTF8String("true"));
      }
    } catch (CertIOException e) {
      throw new PkiException("cannot build certificate extensions", e);
    }
    return sign(b, issuer);
  }

  /**
   * A renewal of {@code old}: same subject and public key, every extension copied (criticality
   * kept) except AKI, re-derived from the CA, and SKI, recomputed; new serial and validity.
   */
  public static X509Certificate renewal(
      Issuer issuer, X509Certificate old, BigInteger serial, Instant notBefore, Instant notAfter) {
    X509Certificate ca = issuer.certificate();
    SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(old.getPublicKey().getEncoded());
    X509v3CertificateBuilder b =
        new X509v3CertificateBuilder(
            Names.of(ca.getSubjectX500Principal()),
            serial,
            Date.from(notBefore),
            Date.from(notAfter),
            Names.of(old.getSubjectX500Principal()),
            spki);
    try {
      X509CertificateHolder holder = new X509CertificateHolder(old.getEncoded());
      b.addExtension(Extension.authorityKeyIdentifier, false, KeyIds.authorityKeyId(ca));
      b.addExtension(Extension.subjectKeyIdentifier, false, KeyIds.subjectKeyId(spki));
      for (Object o : holder.getExtensions().getExtensionOIDs()) {
        ASN1ObjectIdentifier oid = (ASN1ObjectIdentifier) o;
        if (oid.equals(Extension.authorityKeyIdentifier)
            || oid.equals(Extension.subjectKeyIdentifier)) {
          continue;
        }
        b.copyAndAddExtension(oid, holder.getExtension(oid).isCritical(), holder);
      }
    } catch (IOException | CertificateEncodingException | NullPointerException e) {
      throw new PkiException("cannot copy the certificate's extensions", e);
    }
    return sign(b, issuer);
  }

  /** A self-signed CA certificate. */
  public static X509Certificate selfSignedCa(
      String caName, KeyPair keys, BigInteger serial, Instant notBefore, Instant notAfter) {
    X500Name name = Names.cn(caName);
    SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded());
    X509v3CertificateBuilder b =
        new X509v3CertificateBuilder(
            name, serial, Date.from(notBefore), Date.from(notAfter), name, spki);
    caExtensions(b, KeyIds.subjectKeyId(spki).getKeyIdentifier(), KeyIds.subjectKeyId(spki));
    return sign(b, keys.getPrivate());
  }

  /** An intermediate CA certificate for {@code keys}, signed by {@code parent}. */
  public static X509Certificate intermediateCa(
      Issuer parent,
      String caName,
      KeyPair keys,
      BigInteger serial,
      Instant notBefore,
      Instant notAfter) {
    SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded());
    X509v3CertificateBuilder b =
        new X509v3CertificateBuilder(
            Names.of(parent.certificate().getSubjectX500Principal()),
            serial,
            Date.from(notBefore),
            Date.from(notAfter),
            Names.cn(caName),
            spki);
    caExtensions(b, KeyIds.subjectKeyIdOf(parent.certificate()), KeyIds.subjectKeyId(spki));
    return sign(b, parent);
  }

  /**
   * A cross-certificate: {@code subject}'s name, key and key identifier, certified by {@code
   * signer} (another generation of the same CA), valid from {@code notBefore} to {@code notAfter}.
   * A client that trusts only the signer's generation can verify the subject's certificates through
   * it.
   */
  public static X509Certificate crossCa(
      Issuer signer,
      X509Certificate subject,
      BigInteger serial,
      Instant notBefore,
      Instant notAfter) {
    SubjectPublicKeyInfo spki =
        SubjectPublicKeyInfo.getInstance(subject.getPublicKey().getEncoded());
    X509v3CertificateBuilder b =
        new X509v3CertificateBuilder(
            Names.of(signer.certificate().getSubjectX500Principal()),
            serial,
            Date.from(notBefore),
            Date.from(notAfter),
            Names.of(subject.getSubjectX500Principal()),
            spki);
    caExtensions(
        b,
        KeyIds.subjectKeyIdOf(signer.certificate()),
        new SubjectKeyIdentifier(KeyIds.subjectKeyIdOf(subject)));
    return sign(b, signer);
  }

  /** A CA certificate's extensions, in Puppet's order: comment, AKI (key id), CA, usage, SKI. */
  private static void caExtensions(
      X509v3CertificateBuilder b, byte[] authorityKeyId, SubjectKeyIdentifier ski) {
    try {
      b.addExtension(PuppetOids.NETSCAPE_COMMENT, false, new DERIA5String(NETSCAPE_COMMENT));
      b.addExtension(
          Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(authorityKeyId));
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      b.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      b.addExtension(Extension.subjectKeyIdentifier, false, ski);
    } catch (CertIOException e) {
      throw new PkiException("cannot build CA extensions", e);
    }
  }

  /** An authorityInfoAccess extension naming an OCSP responder. */
  public static Extension ocspAccess(String url) {
    try {
      return new Extension(
          Extension.authorityInfoAccess,
          false,
          new AuthorityInformationAccess(
                  AccessDescription.id_ad_ocsp,
                  new GeneralName(GeneralName.uniformResourceIdentifier, url))
              .getEncoded());
    } catch (IOException e) {
      throw new PkiException("cannot encode authorityInfoAccess", e);
    }
  }

  static String csrText(Extension e) {
    return Csr.extensionText(e);
  }

  /** SAN entries for a server certificate from puppet.conf dns_alt_names, plus DNS:certname. */
  public static GeneralNames serverAltNames(String certname, List<String> dnsAltNames) {
    List<GeneralName> names = new ArrayList<>();
    List<String> entries = dnsAltNames.isEmpty() ? List.of("puppet") : dnsAltNames;
    boolean hasCertname = false;
    for (String raw : entries) {
      String s = raw.trim();
      if (s.isEmpty()) {
        continue;
      }
      if (s.startsWith("IP:")) {
        names.add(new GeneralName(GeneralName.iPAddress, s.substring(3)));
      } else {
        String dns = s.startsWith("DNS:") ? s.substring(4) : s;
        hasCertname |= dns.equals(certname);
        names.add(new GeneralName(GeneralName.dNSName, dns));
      }
    }
    if (!hasCertname) {
      names.add(new GeneralName(GeneralName.dNSName, certname));
    }
    return new GeneralNames(names.toArray(new GeneralName[0]));
  }

  static X509Certificate sign(X509v3CertificateBuilder b, Issuer issuer) {
    return sign(b, issuer.key());
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key) {
    try {
      ContentSigner signer = new JcaContentSignerBuilder(Keys.signatureAlgorithm(key)).build(key);
      return Certificates.toX509(b.build(signer));
    } catch (OperatorCreationException e) {
      throw new PkiException("cannot sign certificate", e);
    }
  }
}
