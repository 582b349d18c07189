package org.voxca.testing;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A token in the autosign gem's format, made here by hand: a JWT over {@code exp} and {@code data}
 * (a JSON text of certname, requester, reusable, validfor, uuid), its signature HMAC-SHA512 with
 * the shared secret whatever {@code alg} the header names.
 */
public final class GemJwt {
  private GemJwt() {}

  /** {@code expAsText}: exp as the gem writes it on jwt 1.x, a string; else a number. */
  public static String token(
      String alg,
      String secret,
      String certname,
      boolean reusable,
      String uuid,
      long exp,
      boolean expAsText) {
    String data =
        "{\"certname\":\""
            + certname.replace("\\", "\\\\")
            + "\",\"requester\":\"tests\",\"reusable\":"
            + reusable
            + ",\"validfor\":7200,\"uuid\":\""
            + uuid
            + "\"}";
    String claims =
        "{\"data\":\""
            + data.replace("\\", "\\\\").replace("\"", "\\\"")
            + "\",\"exp\":"
            + (expAsText ? "\"" + exp + "\"" : Long.toString(exp))
            + "}";
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String signed =
        b64.encodeToString(
                ("{\"typ\":\"JWT\",\"alg\":\"" + alg + "\"}").getBytes(StandardCharsets.UTF_8))
            + "."
            + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
    try {
      Mac mac = Mac.getInstance("HmacSHA512");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA512"));
      return signed
          + "."
          + b64.encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII)));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
