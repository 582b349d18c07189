package org.voxca.http;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.voxca.ca.CertStatus;
import org.voxca.ca.CertificateAuthority;
import org.voxca.pki.DigestFingerprints;

/**
 * A listing of statuses as a JSON array, written byte by byte into one buffer that goes to the
 * stream when full: the same bytes as {@link Json#writeStatus} for each status (any string that is
 * not plain printable ASCII is written by Jackson itself), at a fraction of its cost, since a
 * listing writes 100,000 of them and their fingerprints are most of the 90 MB.
 */
final class StatusListWriter implements AutoCloseable {
  private static final int FLUSH_AT = 60 * 1024;
  private final OutputStream out;
  private byte[] buf = new byte[64 * 1024];
  private int len;
  private boolean first = true;

  StatusListWriter(OutputStream out) {
    this.out = out;
    buf[len++] = '[';
  }

  /** The statuses {@code ca} lists for these filters (null: none), as one JSON array. */
  static void listing(
      OutputStream out, CertificateAuthority ca, String state, String name, Instant before)
      throws IOException {
    try (StatusListWriter w = new StatusListWriter(out)) {
      ca.eachStatus(
          state,
          name,
          before,
          s -> {
            try {
              w.write(s);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    }
  }

  void write(CertStatus s) throws IOException {
    if (len >= FLUSH_AT) {
      flush();
    }
    if (!first) {
      put((byte) ',');
    }
    first = false;
    raw(NAME);
    string(s.name());
    raw(STATE);
    string(s.state());
    if (s.fingerprints() instanceof DigestFingerprints f) {
      raw(FINGERPRINT);
      hex(f, 1);
      raw(FINGERPRINTS);
      put((byte) '{');
      for (int i = 0; i < DigestFingerprints.count(); i++) {
        if (i > 0) {
          put((byte) ',');
        }
        string(DigestFingerprints.name(i));
        put((byte) ':');
        hex(f, i);
      }
      put((byte) '}');
    } else {
      raw(FINGERPRINT);
      string(s.fingerprints().get("SHA256"));
      raw(FINGERPRINTS);
      object(s.fingerprints());
    }
    raw(DNS_ALT_NAMES);
    array(s.dnsAltNames());
    raw(SUBJECT_ALT_NAMES);
    array(s.subjectAltNames());
    raw(AUTHORIZATION_EXTENSIONS);
    object(s.authorizationExtensions());
    if (s.pendingReason() != null) {
      raw(PENDING_REASON);
      string(s.pendingReason());
    }
    BigInteger serial = s.serialNumber();
    if (serial != null) {
      raw(SERIAL);
      ascii(serial.toString());
      raw(NOT_BEFORE);
      string(PuppetDates.format(s.notBefore()));
      raw(NOT_AFTER);
      string(PuppetDates.format(s.notAfter()));
    }
    put((byte) '}');
  }

  /** Ends the array and writes what is left; the stream stays open. */
  @Override
  public void close() throws IOException {
    put((byte) ']');
    flush();
  }

  private void flush() throws IOException {
    out.write(buf, 0, len);
    len = 0;
  }

  private void object(Map<String, String> m) throws IOException {
    put((byte) '{');
    boolean more = false;
    for (Map.Entry<String, String> e : m.entrySet()) {
      if (more) {
        put((byte) ',');
      }
      more = true;
      string(e.getKey());
      put((byte) ':');
      string(e.getValue());
    }
    put((byte) '}');
  }

  private void array(List<String> values) throws IOException {
    put((byte) '[');
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        put((byte) ',');
      }
      string(values.get(i));
    }
    put((byte) ']');
  }

  /** A JSON string: copied when every character is printable ASCII, else Jackson's escaping. */
  private void string(String s) {
    if (s == null) {
      ascii("null");
      return;
    }
    int n = s.length();
    room(n + 2);
    buf[len] = '"';
    int at = len + 1;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
        byte[] quoted = jackson(s);
        room(quoted.length);
        System.arraycopy(quoted, 0, buf, len, quoted.length);
        len += quoted.length;
        return;
      }
      buf[at++] = (byte) c;
    }
    buf[at++] = '"';
    len = at;
  }

  /** The string as Jackson's generator writes it, quotes included (its escapes, its UTF-8). */
  private static byte[] jackson(String s) {
    ByteArrayOutputStream quoted = new ByteArrayOutputStream(s.length() * 6 + 2);
    try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(quoted)) {
      g.writeString(s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return quoted.toByteArray();
  }

  /** Text known to be ASCII and to need no escaping (field names, numbers, punctuation). */
  private void ascii(String s) {
    int n = s.length();
    room(n);
    for (int i = 0; i < n; i++) {
      buf[len++] = (byte) s.charAt(i);
    }
  }

  private void raw(byte[] b) {
    room(b.length);
    System.arraycopy(b, 0, buf, len, b.length);
    len += b.length;
  }

  /** A fingerprint as a JSON string, its hex written from the digest's bytes. */
  private void hex(DigestFingerprints f, int i) {
    room(f.hexLength(i) + 2);
    buf[len++] = '"';
    len = f.hex(i, buf, len);
    buf[len++] = '"';
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static final byte[] NAME = bytes("{\"name\":");
  private static final byte[] STATE = bytes(",\"state\":");
  private static final byte[] FINGERPRINT = bytes(",\"fingerprint\":");
  private static final byte[] FINGERPRINTS = bytes(",\"fingerprints\":");
  private static final byte[] DNS_ALT_NAMES = bytes(",\"dns_alt_names\":");
  private static final byte[] SUBJECT_ALT_NAMES = bytes(",\"subject_alt_names\":");
  private static final byte[] AUTHORIZATION_EXTENSIONS = bytes(",\"authorization_extensions\":");
  private static final byte[] PENDING_REASON = bytes(",\"voxca_pending_reason\":");
  private static final byte[] SERIAL = bytes(",\"serial_number\":");
  private static final byte[] NOT_BEFORE = bytes(",\"not_before\":");
  private static final byte[] NOT_AFTER = bytes(",\"not_after\":");

  private void put(byte b) {
    room(1);
    buf[len++] = b;
  }

  private void room(int n) {
    if (len + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
    }
  }
}
