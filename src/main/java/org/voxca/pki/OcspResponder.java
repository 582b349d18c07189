package org.voxca.pki;

import java.io.IOException;
import java.math.BigInteger;
import java.security.cert.CertificateEncodingException;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPResp;
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
 * An OCSP responder (RFC 6960) for one CA: answers each certificate of a request good, revoked
 * (with its revocation time and reason) or unknown, echoes the nonce, and signs with the CA key
 * (responder id by key hash). A request it cannot read gets {@code malformedRequest}.
 */
public final class OcspResponder {
  /** What the CA knows of a serial. */
  public interface Lookup {
    /** Null when this CA never issued the serial. */
    Status status(BigInteger serial);
  }

  /** One answer: revoked when {@code revokedAt} is set (reason may be null). */
  public record Status(Instant revokedAt, Integer reason) {
    public static final Status GOOD = new Status(null, null);
  }

  private OcspResponder() {}

  /** The DER of the response to {@code request}. */
  public static byte[] respond(
      byte[] request, Issuer issuer, Lookup lookup, Instant now, Instant nextUpdate) {
    OCSPReq req;
    Req[] items;
    try {
      req = new OCSPReq(request);
      items = req.getRequestList();
      if (items.length == 0 || items.length > 64) {
        return status(OCSPRespBuilder.MALFORMED_REQUEST);
      }
    } catch (IOException | RuntimeException e) {
      return status(OCSPRespBuilder.MALFORMED_REQUEST);
    }
    try {
      DigestCalculatorProvider digests = new JcaDigestCalculatorProviderBuilder().build();
      X509CertificateHolder ca = new X509CertificateHolder(issuer.certificate().getEncoded());
      SubjectPublicKeyInfo key = ca.getSubjectPublicKeyInfo();
      BasicOCSPRespBuilder b =
          new BasicOCSPRespBuilder(new RespID(key, digests.get(CertificateID.HASH_SHA1)));
      for (Req item : items) {
        CertificateID id = item.getCertID();
        b.addResponse(
            id, answer(id, ca, digests, lookup), Date.from(now), Date.from(nextUpdate), null);
      }
      Extension nonce = req.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
      if (nonce != null) {
        b.setResponseExtensions(new Extensions(nonce));
      }
      BasicOCSPResp basic =
          b.build(
              new JcaContentSignerBuilder(Keys.signatureAlgorithm(issuer.key()))
                  .build(issuer.key()),
              null,
              Date.from(now));
      return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, basic).getEncoded();
    } catch (OCSPException
        | OperatorCreationException
        | CertificateEncodingException
        | IOException e) {
      throw new PkiException("cannot build the OCSP response: " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      return status(OCSPRespBuilder.MALFORMED_REQUEST);
    }
  }

  private static CertificateStatus answer(
      CertificateID id, X509CertificateHolder ca, DigestCalculatorProvider digests, Lookup lookup)
      throws OCSPException {
    if (!id.matchesIssuer(ca, digests)) {
      return new UnknownStatus(); // a certificate of another CA
    }
    Status s = lookup.status(id.getSerialNumber());
    if (s == null) {
      return new UnknownStatus();
    }
    if (s.revokedAt() == null) {
      return CertificateStatus.GOOD;
    }
    return s.reason() == null
        ? new RevokedStatus(Date.from(s.revokedAt()))
        : new RevokedStatus(Date.from(s.revokedAt()), s.reason());
  }

  /** A response with no body: malformedRequest, internalError, tryLater… */
  public static byte[] status(int status) {
    try {
      return new OCSPRespBuilder().build(status, null).getEncoded();
    } catch (OCSPException | IOException e) {
      throw new PkiException("cannot build the OCSP response", e);
    }
  }

  /** The response's status code (for logs and tests). */
  public static int statusOf(byte[] der) throws IOException {
    return new OCSPResp(der).getStatus();
  }
}
