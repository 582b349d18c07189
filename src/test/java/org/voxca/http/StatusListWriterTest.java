package org.voxca.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.voxca.ca.CertStatus;
import org.voxca.pki.DigestFingerprints;
import org.voxca.pki.Fingerprints;

/**
 * The listing writer gives the bytes Jackson gives for the same statuses, strings that need
 * escaping and non-ASCII text included, across its buffer's flushes; the fast hex is HexFormat's.
 */
class StatusListWriterTest {
  private static final String[] AWKWARD = {
    "plain.example.test",
    "quote\"d",
    "back\\slash",
    "tab\there",
    "nl\n",
    "ctl\u0001",
    "é-ü",
    "snow\u2603man",
    "emoji\uD83D\uDE00",
    "del\u007f",
    "",
    "/slash/"
  };

  private static CertStatus status(Random r, int i) {
    Map<String, String> fp = new LinkedHashMap<>();
    byte[] d = new byte[116];
    r.nextBytes(d);
    fp.put("SHA1", Fingerprints.colonHex(d, 0, 20));
    fp.put("SHA256", Fingerprints.colonHex(d, 20, 52));
    fp.put("SHA512", Fingerprints.colonHex(d, 52, 116));
    fp.put("default", fp.get("SHA256"));
    boolean csr = i % 7 == 0;
    Map<String, String> fingerprints = csr ? fp : new DigestFingerprints(d, 0, 20, 52);
    assertThat(fingerprints).isEqualTo(fp).containsEntry("default", fp.get("SHA256"));
    assertThat(List.copyOf(fingerprints.keySet()))
        .containsExactly("SHA1", "SHA256", "SHA512", "default");
    String odd = AWKWARD[r.nextInt(AWKWARD.length)];
    List<String> sans = new ArrayList<>(List.of("DNS:n" + i + ".test", "DNS:" + odd));
    if (r.nextBoolean()) {
      sans.add(0, "IP:10.0.0." + (i % 250));
    }
    Map<String, String> ext = new LinkedHashMap<>();
    if (r.nextBoolean()) {
      ext.put("pp_cli_auth", "true");
      ext.put("pp_auth_role", odd);
    }
    return new CertStatus(
        "n" + i + ".test",
        csr ? CertStatus.REQUESTED : (r.nextBoolean() ? CertStatus.SIGNED : CertStatus.REVOKED),
        fingerprints,
        sans.stream().filter(s -> s.startsWith("DNS:")).toList(),
        sans,
        ext,
        csr ? null : new BigInteger(80, r),
        csr ? null : Instant.ofEpochSecond(1_700_000_000L + r.nextInt(1 << 30)),
        csr ? null : Instant.ofEpochSecond(1_800_000_000L + r.nextInt(1 << 30)),
        csr && r.nextBoolean() ? "autosign: " + odd : null);
  }

  @Test
  void writesWhatJacksonWrites() throws Exception {
    Random r = new Random(42);
    List<CertStatus> all = new ArrayList<>();
    for (int i = 0; i < 3_000; i++) { // about 2.5 MB: many flushes of the 64 KB buffer
      all.add(status(r, i));
    }
    for (List<CertStatus> list : List.of(List.<CertStatus>of(), all.subList(0, 1), all)) {
      ByteArrayOutputStream jackson = new ByteArrayOutputStream();
      try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(jackson)) {
        g.writeStartArray();
        for (CertStatus s : list) {
          Json.writeStatus(g, s);
        }
        g.writeEndArray();
      }
      ByteArrayOutputStream fast = new ByteArrayOutputStream();
      try (StatusListWriter w = new StatusListWriter(fast)) {
        for (CertStatus s : list) {
          w.write(s);
        }
      }
      byte[] a = fast.toByteArray();
      byte[] b = jackson.toByteArray();
      int at = java.util.Arrays.mismatch(a, b);
      assertThat(at)
          .as(
              "first difference: %s | %s",
              at < 0
                  ? ""
                  : new String(
                      a,
                      Math.max(0, at - 40),
                      Math.min(80, a.length - Math.max(0, at - 40)),
                      java.nio.charset.StandardCharsets.UTF_8),
              at < 0
                  ? ""
                  : new String(
                      b,
                      Math.max(0, at - 40),
                      Math.min(80, b.length - Math.max(0, at - 40)),
                      java.nio.charset.StandardCharsets.UTF_8))
          .isEqualTo(-1);
    }
  }

  @Test
  void colonHexIsHexFormats() {
    Random r = new Random(7);
    HexFormat hex = HexFormat.ofDelimiter(":").withUpperCase();
    for (int n = 0; n < 70; n++) {
      byte[] d = new byte[n + 3];
      r.nextBytes(d);
      assertThat(Fingerprints.colonHex(d, 1, n + 1)).isEqualTo(hex.formatHex(d, 1, n + 1));
    }
  }
}
