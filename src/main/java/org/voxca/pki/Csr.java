package org.voxca.pki;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * A parsed PKCS#10 certificate signing request and the facts the CA rules need from it. Not
 * responsible for deciding whether those facts are acceptable (see {@code ca.CsrPolicy}).
 */
public final class Csr {
  private final PKCS10CertificationRequest request;
  private final List<Extension> extensions;
  private final String commonName;

  /** Parses every lazily decoded part now, so a broken structure fails in {@link #fromPem}. */
  private Csr(PKCS10CertificationRequest request) {
    this.request = request;
    this.extensions = readExtensions(request);
    this.commonName = commonNameOf(request);
  }

  /**
   * Parses a request body that must hold exactly one PEM {@code CERTIFICATE REQUEST}.
   *
   * @throws PkiException with a one-line reason for anything else
   */
  public static Csr fromPem(String body) {
    Objects.requireNonNull(body, "body == null");
    if (body.isBlank()) {
      throw new PkiException("empty body: expected a PEM certificate request");
    }
    List<Object> objects = Pem.readAll(body);
    if (objects.isEmpty()) {
      throw new PkiException("no PEM certificate request found in the body");
    }
    if (objects.size() > 1) {
      throw new PkiException(
          "the body holds "
              + objects.size()
              + " PEM objects; exactly one certificate request is expected");
    }
    if (!(objects.get(0) instanceof PKCS10CertificationRequest r)) {
      throw new PkiException("the PEM object is not a certificate request");
    }
    try {
      // Touch every lazily parsed part now, so that a broken structure fails here as a 400.
      r.getSubject().getRDNs();
      Keys.readPublicKey(r.getSubjectPublicKeyInfo());
      r.getAttributes();
      return new Csr(r);
    } catch (RuntimeException e) {
      throw new PkiException("malformed certificate request: " + Pem.oneLine(e.getMessage()));
    }
  }

  private static List<Extension> readExtensions(PKCS10CertificationRequest r) {
    List<Extension> out = new ArrayList<>();
    for (Attribute a : r.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
      for (ASN1Encodable v : a.getAttributeValues()) {
        Extensions exts;
        try {
          exts = Extensions.getInstance(v);
        } catch (RuntimeException e) {
          throw new PkiException("malformed extension request in certificate request");
        }
        for (ASN1ObjectIdentifier oid : exts.getExtensionOIDs()) {
          out.add(exts.getExtension(oid));
        }
      }
    }
    return Collections.unmodifiableList(out);
  }

  public PKCS10CertificationRequest request() {
    return request;
  }

  public X500Name subject() {
    return request.getSubject();
  }

  /** The first CN of the subject, or the empty string when there is none. */
  public String commonName() {
    return commonName;
  }

  private static String commonNameOf(PKCS10CertificationRequest request) {
    RDN[] cns = request.getSubject().getRDNs(BCStyle.CN);
    if (cns.length == 0 || cns[0].getFirst() == null) {
      return "";
    }
    return IETFUtils.valueToString(cns[0].getFirst().getValue());
  }

  public SubjectPublicKeyInfo publicKeyInfo() {
    return request.getSubjectPublicKeyInfo();
  }

  /** Requested extensions, in the order the CSR lists them. */
  public List<Extension> extensions() {
    return extensions;
  }

  /** The requested subjectAltName, or null. */
  public GeneralNames subjectAltNames() {
    for (Extension e : extensions) {
      if (e.getExtnId().equals(Extension.subjectAlternativeName)) {
        try {
          return GeneralNames.getInstance(e.getParsedValue());
        } catch (RuntimeException ex) {
          throw new PkiException("malformed subjectAltName in certificate request");
        }
      }
    }
    return null;
  }

  /** True when the request carries attribute pp_auth_auto_renew with first value "true". */
  public boolean requestsAutoRenewal() {
    for (Attribute a : request.getAttributes(PuppetOids.PP_AUTH_AUTO_RENEW)) {
      ASN1Encodable[] values = a.getAttributeValues();
      if (values.length > 0) {
        return "true".equals(stringValue(values[0].toASN1Primitive()));
      }
    }
    return false;
  }

  /**
   * The text of the PKCS#9 challengePassword attribute (where an agent's {@code
   * csr_attributes.yaml} puts {@code 1.2.840.113549.1.9.7}), or null when there is none or it is
   * not a string.
   */
  public String challengePassword() {
    for (Attribute a : request.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_challengePassword)) {
      ASN1Encodable[] values = a.getAttributeValues();
      if (values.length > 0) {
        return stringValue(values[0].toASN1Primitive());
      }
    }
    return null;
  }

  /** True when the request's signature verifies with its own public key. */
  public boolean signatureValid() {
    try {
      return request.isSignatureValid(
          new JcaContentVerifierProviderBuilder()
              .build(Keys.readPublicKey(request.getSubjectPublicKeyInfo())));
    } catch (Exception e) {
      return false;
    }
  }

  /** DER encoding of the request. */
  public byte[] encoded() {
    try {
      return request.getEncoded();
    } catch (IOException e) {
      throw new PkiException("cannot encode certificate request", e);
    }
  }

  /** PEM text of the request, re-encoded. */
  public String toPem() {
    return Pem.encode(request);
  }

  /**
   * The text of an extension value as Puppet reads it: any ASN.1 string type gives its text; other
   * bytes are read as US-ASCII (legacy Puppet encoding).
   */
  public static String extensionText(Extension e) {
    byte[] octets = e.getExtnValue().getOctets();
    try {
      ASN1Primitive p = ASN1Primitive.fromByteArray(octets);
      String s = stringValue(p);
      if (s != null) {
        return s;
      }
    } catch (IOException | RuntimeException ignored) {
      // not DER: legacy raw value
    }
    return new String(octets, StandardCharsets.US_ASCII);
  }

  private static String stringValue(ASN1Primitive p) {
    return p instanceof ASN1String s ? s.getString() : null;
  }
}
