package org.voxca.pki;

import java.io.IOException;
import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * An OCSP responder (RFC 6960) for one CA, in three steps a caller can cache between: {@link
 * #parse} a request (at most 64 certificates, a nonce of 1–32 bytes as RFC 8954 asks; anything else
 * is {@code malformedRequest}), find each certificate's {@link #statuses status} (good, revoked
 * with time and reason, or unknown — a certificate of another CA, or a CertID hashed with an
 * algorithm this responder cannot compute, is unknown, never an error), and {@link #sign} the
 * answer with the CA key (responder id by key hash), with or without the request's nonce.
 */
public final class OcspResponder {
  /** RFC 6960 OCSPResponseStatus values. */
  public static final int MALFORMED_REQUEST = OCSPRespBuilder.MALFORMED_REQUEST;

  public static final int INTERNAL_ERROR = OCSPRespBuilder.INTERNAL_ERROR;
  public static final int TRY_LATER = OCSPRespBuilder.TRY_LATER;

  /** The longest nonce accepted (RFC 8954 §2.1). */
  public static final int MAX_NONCE = 32;

  private static final int MAX_ITEMS = 64;

  /** What the CA knows of a serial. */
  public interface Lookup {
    /** Null when this CA never issued the serial. */
    Status status(BigInteger serial);
  }

  /** One answer: revoked when {@code revokedAt} is set (reason may be null). */
  public record Status(Instant revokedAt, Integer reason) {
    public static final Status GOOD = new Status(null, null);

    /** Never issued here, of another CA, or not computable: RFC 6960 {@code unknown}. */
    public static final Status UNKNOWN = new Status(Instant.MIN, null);
  }

  /**
   * A readable request: its CertIDs, their DER together (a cache key: the same certificates asked
   * for again), and the nonce extension, if any.
   */
  public record Request(List<CertificateID> ids, byte[] idsDer, Extension nonce) {}

  private OcspResponder() {}

  /** The request in {@code der}, or null when it is malformed (OCSP {@code malformedRequest}). */
  public static Request parse(byte[] der) {
    try {
      OCSPReq req = new OCSPReq(der);
      Req[] items = req.getRequestList();
      if (items.length == 0 || items.length > MAX_ITEMS) {
        return null;
      }
      List<CertificateID> ids = new ArrayList<>(items.length);
      ASN1EncodableVector v = new ASN1EncodableVector();
      for (Req item : items) {
        ids.add(item.getCertID());
        v.add(item.getCertID().toASN1Primitive());
      }
      Extension nonce = req.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
      if (nonce != null) {
        int n = nonceLength(nonce);
        if (n < 1 || n > MAX_NONCE) {
          return null;
        }
      }
      return new Request(ids, new DERSequence(v).getEncoded(ASN1Encoding.DER), nonce);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * The nonce's length: the content of the OCTET STRING inside the extension value (RFC 8954), or
   * the raw value's length for clients that send the bytes unwrapped.
   */
  private static int nonceLength(Extension nonce) {
    byte[] raw = nonce.getExtnValue().getOctets();
    try {
      ASN1Primitive inner = ASN1Primitive.fromByteArray(raw);
      if (inner instanceof ASN1OctetString o) {
        return o.getOctets().length;
      }
    } catch (IOException | RuntimeException notDer) {
      // unwrapped bytes
    }
    return raw.length;
  }

  /** True when every certificate {@code request} asks about names {@code issuer} as its issuer. */
  public static boolean allFor(Request request, Issuer issuer) {
    X509CertificateHolder ca = holder(issuer);
    DigestCalculatorProvider digests = digests();
    for (CertificateID id : request.ids()) {
      try {
        if (!id.matchesIssuer(ca, digests)) {
          return false;
        }
      } catch (OCSPException | RuntimeException unsupportedHash) {
        return false;
      }
    }
    return !request.ids().isEmpty();
  }

  /** Each certificate's status, in request order. */
  public static List<Status> statuses(Request request, Issuer issuer, Lookup lookup) {
    X509CertificateHolder ca = holder(issuer);
    DigestCalculatorProvider digests = digests();
    List<Status> out = new ArrayList<>(request.ids().size());
    for (CertificateID id : request.ids()) {
      boolean ours;
      try {
        ours = id.matchesIssuer(ca, digests);
      } catch (OCSPException | RuntimeException unsupportedHash) {
        ours = false; // a hash this responder cannot compute: it cannot say
      }
      Status s = ours ? lookup.status(id.getSerialNumber()) : null;
      out.add(s == null ? Status.UNKNOWN : s);
    }
    return out;
  }

  /**
   * Who signs responses: the CA itself ({@code cert} its certificate, no certificate sent) or a
   * delegated responder whose certificate the CA issued (sent with each response).
   */
  public record Signer(X509Certificate cert, PrivateKey key, boolean delegated) {
    public static Signer ca(Issuer issuer) {
      return new Signer(issuer.certificate(), issuer.key(), false);
    }
  }

  /**
   * The signed response: {@code statuses} for the request's certificates, valid from {@code now} to
   * {@code nextUpdate}, echoing the request's nonce when {@code withNonce}, signed by {@code
   * signer}.
   */
  public static byte[] sign(
      Request request,
      List<Status> statuses,
      Signer signer,
      Instant now,
      Instant nextUpdate,
      boolean withNonce) {
    try {
      X509CertificateHolder responder = holder(signer.cert());
      BasicOCSPRespBuilder b =
          new BasicOCSPRespBuilder(
              new RespID(
                  responder.getSubjectPublicKeyInfo(), digests().get(CertificateID.HASH_SHA1)));
      for (int i = 0; i < statuses.size(); i++) {
        b.addResponse(
            request.ids().get(i),
            answer(statuses.get(i)),
            Date.from(now),
            Date.from(nextUpdate),
            null);
      }
      if (withNonce && request.nonce() != null) {
        b.setResponseExtensions(new Extensions(request.nonce()));
      }
      BasicOCSPResp basic =
          b.build(
              new JcaContentSignerBuilder(Keys.signatureAlgorithm(signer.key()))
                  .build(signer.key()),
              signer.delegated() ? new X509CertificateHolder[] {responder} : null,
              Date.from(now));
      return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, basic).getEncoded();
    } catch (OCSPException | OperatorCreationException | IOException e) {
      throw new PkiException("cannot build the OCSP response: " + e.getMessage(), e);
    }
  }

  private static CertificateStatus answer(Status s) {
    if (s == Status.UNKNOWN) {
      return new UnknownStatus();
    }
    if (s.revokedAt() == null) {
      return CertificateStatus.GOOD;
    }
    return s.reason() == null
        ? new RevokedStatus(Date.from(s.revokedAt()))
        : new RevokedStatus(Date.from(s.revokedAt()), s.reason());
  }

  private static X509CertificateHolder holder(Issuer issuer) {
    return holder(issuer.certificate());
  }

  private static X509CertificateHolder holder(X509Certificate cert) {
    try {
      return new X509CertificateHolder(cert.getEncoded());
    } catch (CertificateEncodingException | IOException e) {
      throw new PkiException("cannot read the CA certificate", e);
    }
  }

  private static DigestCalculatorProvider digests() {
    try {
      return new JcaDigestCalculatorProviderBuilder().build();
    } catch (OperatorCreationException e) {
      throw new PkiException("no digest provider", e);
    }
  }

  /** A response with no body: malformedRequest, internalError, tryLater… */
  public static byte[] status(int status) {
    try {
      return new OCSPRespBuilder().build(status, null).getEncoded();
    } catch (OCSPException | IOException e) {
      throw new PkiException("cannot build the OCSP response", e);
    }
  }
}
