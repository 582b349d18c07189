package org.voxca.ca.autosign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.voxca.pki.Csr;
import org.voxca.store.EnrolmentRecords;

/**
 * Tokens of the community {@code autosign} gem, checked in-process: a JWT signed HS512 with the
 * gem's shared secret, whose claims are {@code exp} (seconds since the epoch) and {@code data}, a
 * JSON text with {@code certname} (a name, or {@code /regex/} found anywhere in the name), {@code
 * reusable}, {@code uuid}, {@code requester} and {@code validfor}. A one-time token's uuid is
 * claimed in the store until it expires, so a replay is refused on every replica. A one-time token
 * presented for another name is claimed too: its CSR stays pending and anyone may read it.
 */
final class GemTokens implements TokenCheck {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern JWT =
      Pattern.compile("([A-Za-z0-9_-]+)\\.([A-Za-z0-9_-]+)\\.([A-Za-z0-9_-]+)");
  private static final Pattern REGEX = Pattern.compile("/([^/].*)/");
  private static final Pattern UUID = Pattern.compile("[0-9a-fA-F-]{36}");
  private final GemSecret secret;
  private final EnrolmentRecords records;
  private final Clock clock;

  GemTokens(GemSecret secret, EnrolmentRecords records, Clock clock) {
    this.secret = secret;
    this.records = records;
    this.clock = clock;
  }

  @Override
  public AutosignDecision decide(String name, Csr csr, boolean dryRun) {
    String token = csr.challengePassword();
    Matcher jwt = token == null ? null : JWT.matcher(token);
    if (jwt == null || !jwt.matches()) {
      return null;
    }
    JsonNode header;
    JsonNode claims;
    try {
      header = JSON.readTree(Base64.getUrlDecoder().decode(jwt.group(1)));
      claims = JSON.readTree(Base64.getUrlDecoder().decode(jwt.group(2)));
    } catch (IOException | IllegalArgumentException e) {
      return AutosignDecision.pending("autosign-gem token unreadable");
    }
    if (!"HS512".equals(header.path("alg").asText())) {
      return AutosignDecision.pending(
          "autosign-gem token refused: algorithm "
              + header.path("alg").asText("none")
              + ", not HS512");
    }
    if (!signatureValid(jwt.group(1) + "." + jwt.group(2), jwt.group(3))) {
      return AutosignDecision.pending("autosign-gem token has a bad signature (another secret?)");
    }
    long exp = claims.path("exp").asLong(0);
    JsonNode data;
    try {
      data = JSON.readTree(claims.path("data").asText(""));
    } catch (IOException e) {
      return AutosignDecision.pending("autosign-gem token without readable data");
    }
    String uuid = data.path("uuid").asText("");
    String which = "autosign-gem token " + uuid;
    if (exp <= 0 || data == null || !UUID.matcher(uuid).matches()) {
      return AutosignDecision.pending("autosign-gem token without exp or uuid");
    }
    Instant until = Instant.ofEpochSecond(exp);
    if (!clock.instant().isBefore(until)) {
      return AutosignDecision.pending(which + " expired at " + until);
    }
    boolean reusable = data.path("reusable").asBoolean(false);
    String certname = data.path("certname").asText("");
    String mismatch = mismatch(certname, name);
    if (mismatch != null) {
      if (!reusable && !dryRun) {
        records.claimOnce(claimKey(uuid), until);
      }
      return AutosignDecision.pending(which + " " + mismatch);
    }
    String kind = reusable ? "reusable " : "";
    if (reusable || dryRun) {
      return AutosignDecision.signed(
          kind + which + " for " + certname + (dryRun ? " (dry run: not claimed)" : ""));
    }
    if (!records.claimOnce(claimKey(uuid), until)) {
      return AutosignDecision.pending(which + " was already used");
    }
    return AutosignDecision.signed(which + " for " + certname);
  }

  private static String claimKey(String uuid) {
    return "autosign-gem:" + uuid.toLowerCase(java.util.Locale.ROOT);
  }

  /** Why {@code certname} (a name or /regex/) does not cover {@code name}, or null. */
  private static String mismatch(String certname, String name) {
    Matcher re = REGEX.matcher(certname);
    if (re.matches()) {
      try {
        return Pattern.compile(re.group(1)).matcher(name).find()
            ? null
            : "is for names matching " + certname + ", not " + name;
      } catch (PatternSyntaxException e) {
        return "has a certname regex Java cannot read: " + certname;
      }
    }
    return certname.equals(name) ? null : "is for " + certname + ", not " + name;
  }

  private boolean signatureValid(String signed, String signature) {
    try {
      Mac mac = Mac.getInstance("HmacSHA512");
      mac.init(new SecretKeySpec(secret.key(), "HmacSHA512"));
      byte[] expected = mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII));
      return MessageDigest.isEqual(expected, Base64.getUrlDecoder().decode(signature));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }
}
