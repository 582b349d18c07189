package org.voxca.testing;

import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/** OCSP requests as a client builds them, and voxca's answers over HTTPS. */
public final class Ocsp {
  private static final java.util.Map<Integer, HttpClient> CLIENTS =
      new java.util.concurrent.ConcurrentHashMap<>();

  private Ocsp() {}

  /** One HTTP answer: status, Cache-Control and the OCSP response. */
  public record Answer(int http, String cacheControl, byte[] der) {
    public int ocspStatus() throws Exception {
      return new OCSPResp(der).getStatus();
    }

    public BasicOCSPResp basic() throws Exception {
      return (BasicOCSPResp) new OCSPResp(der).getResponseObject();
    }

    /** The single response's status: "good", "revoked" or "unknown". */
    public String certStatus() throws Exception {
      SingleResp r = basic().getResponses()[0];
      Object s = r.getCertStatus();
      return s == null
          ? "good"
          : s instanceof org.bouncycastle.cert.ocsp.RevokedStatus ? "revoked" : "unknown";
    }

    /** The nonce the response echoes (the extension value's octets), or null. */
    public byte[] nonce() throws Exception {
      Extension e = basic().getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
      return e == null ? null : e.getExtnValue().getOctets();
    }
  }

  /** A request for {@code serials} of {@code ca}, SHA-1 CertIDs, with {@code nonce} if not null. */
  public static byte[] request(X509Certificate ca, List<BigInteger> serials, byte[] nonce)
      throws Exception {
    OCSPReqBuilder b = new OCSPReqBuilder();
    X509CertificateHolder issuer = new X509CertificateHolder(ca.getEncoded());
    for (BigInteger serial : serials) {
      b.addRequest(
          new CertificateID(
              new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
              issuer,
              serial));
    }
    if (nonce != null) {
      b.setRequestExtensions(
          new Extensions(
              new Extension(
                  OCSPObjectIdentifiers.id_pkix_ocsp_nonce,
                  false,
                  new DEROctetString(new DEROctetString(nonce)).getOctets())));
    }
    return b.build().getEncoded();
  }

  /** A request whose CertID names {@code hash} as its hash algorithm (hashes copied from SHA-1). */
  public static byte[] requestWithHash(
      X509Certificate ca, BigInteger serial, AlgorithmIdentifier hash) throws Exception {
    CertificateID sha1 =
        new CertificateID(
            new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
            new X509CertificateHolder(ca.getEncoded()),
            serial);
    org.bouncycastle.asn1.ocsp.CertID id = sha1.toASN1Primitive();
    CertificateID odd =
        new CertificateID(
            new org.bouncycastle.asn1.ocsp.CertID(
                hash, id.getIssuerNameHash(), id.getIssuerKeyHash(), id.getSerialNumber()));
    return new OCSPReqBuilder().addRequest(odd).build().getEncoded();
  }

  /** {@code POST /puppet-ca/v1/ocsp}. */
  public static Answer post(int port, List<X509Certificate> trust, byte[] request)
      throws Exception {
    HttpClient http =
        CLIENTS.computeIfAbsent(
            port,
            p ->
                HttpClient.newBuilder()
                    .sslContext(TestClient.sslContext(trust, null, null))
                    .build());
    HttpResponse<byte[]> r =
        http.send(
            HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/puppet-ca/v1/ocsp"))
                .header("Content-Type", "application/ocsp-request")
                .POST(HttpRequest.BodyPublishers.ofByteArray(request))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    return new Answer(
        r.statusCode(), r.headers().firstValue("Cache-Control").orElse(null), r.body());
  }
}
