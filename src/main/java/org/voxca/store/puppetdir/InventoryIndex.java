package org.voxca.store.puppetdir;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.voxca.pki.SerialSet;
import org.voxca.store.CertificateRecord;

/**
 * {@code inventory.txt} in memory: every issued serial with its notAfter, by subject, read once and
 * then kept in step with every append, so a revocation finds a name's live serials without reading
 * the file. Not thread-safe: the directory guards it with its inventory lock.
 */
final class InventoryIndex {
  /**
   * One inventory line: serial (a long when it fits, else {@code big}) and notAfter (epoch
   * seconds).
   */
  record Issued(long small, BigInteger big, long notAfter) {
    static Issued of(BigInteger serial, long notAfter) {
      boolean fits = serial.signum() >= 0 && serial.bitLength() < 64;
      return new Issued(fits ? serial.longValue() : 0, fits ? null : serial, notAfter);
    }

    BigInteger serial() {
      return big != null ? big : BigInteger.valueOf(small);
    }
  }

  private final Map<String, Object> bySubject =
      new HashMap<>(); // Issued, or List<Issued> when several
  private final Function<String, CertificateRecord> records;
  private int size;

  /** Every serial, built on the first {@link #contains}; null until then. */
  private SerialSet serials;

  /** Serials appended since {@link #serials} was last rebuilt. */
  private final Set<BigInteger> recent = new HashSet<>();

  private static final int MERGE_AT = 4096;

  /**
   * {@code records} finds the signed record of a name, if any, whose name the index then shares
   * instead of holding a copy (100,000 names are megabytes).
   */
  private InventoryIndex(Function<String, CertificateRecord> records) {
    this.records = records;
  }

  static InventoryIndex parse(byte[] bytes) {
    return parse(bytes, n -> null);
  }

  static InventoryIndex parse(byte[] bytes, Function<String, CertificateRecord> records) {
    InventoryIndex index = new InventoryIndex(records);
    String text = new String(bytes, StandardCharsets.UTF_8);
    int p = 0;
    while (p < text.length()) {
      int nl = text.indexOf('\n', p);
      int end = nl < 0 ? text.length() : nl;
      index.addLine(text, p, end);
      p = end + 1;
    }
    return index;
  }

  /** Adds one line ({@code $SN $NB $NA /$S}); unreadable lines are skipped, as the CLI does. */
  private void addLine(String text, int start, int end) {
    int a = text.indexOf(' ', start);
    if (a < 0 || a >= end) {
      return;
    }
    int b = text.indexOf(' ', a + 1);
    int c = b < 0 ? -1 : text.indexOf(' ', b + 1);
    if (c < 0 || c >= end) {
      return;
    }
    int from = text.startsWith("0x", start) ? start + 2 : start;
    try {
      BigInteger serial = new BigInteger(text.substring(from, a), 16);
      long notAfter = seconds(text, b + 1, c);
      add(text.substring(c + 1, end), serial, notAfter);
    } catch (RuntimeException e) {
      // a malformed serial or date: skipped
    }
  }

  /** {@code yyyy-MM-ddTHH:mm:ssUTC}, read by position (the formatter costs more than the file). */
  static long seconds(String s, int start, int end) {
    if (end - start != 22
        || s.charAt(start + 4) != '-'
        || s.charAt(start + 10) != 'T'
        || !s.startsWith("UTC", start + 19)) {
      return Instant.from(InventoryFile.DATE.parse(s.substring(start, end))).getEpochSecond();
    }
    return LocalDateTime.of(
            num(s, start, 4),
            num(s, start + 5, 2),
            num(s, start + 8, 2),
            num(s, start + 11, 2),
            num(s, start + 14, 2),
            num(s, start + 17, 2))
        .toEpochSecond(ZoneOffset.UTC);
  }

  private static int num(String s, int start, int len) {
    int v = 0;
    for (int i = start; i < start + len; i++) {
      char ch = s.charAt(i);
      if (ch < '0' || ch > '9') {
        throw new NumberFormatException(s.substring(start, start + len));
      }
      v = v * 10 + (ch - '0');
    }
    return v;
  }

  /**
   * The key of a subject: the name itself for the usual {@code /CN=<name>}, else the whole subject.
   */
  private static String key(String subject) {
    return subject.startsWith("/CN=") && subject.indexOf('/', 4) < 0
        ? subject.substring(4)
        : subject;
  }

  @SuppressWarnings("unchecked")
  void add(String subject, BigInteger serial, long notAfter) {
    String key = key(subject);
    CertificateRecord r = records.apply(key);
    if (r != null) {
      key = r.name();
    }
    Issued issued = Issued.of(serial, notAfter);
    Object prev = bySubject.putIfAbsent(key, issued);
    if (prev instanceof Issued one) {
      List<Issued> list = new ArrayList<>(2);
      list.add(one);
      list.add(issued);
      bySubject.put(key, list);
    } else if (prev != null) {
      ((List<Issued>) prev).add(issued);
    }
    size++;
    indexSerial(serial);
  }

  /** Serials recorded for {@code subject} whose notAfter is after {@code now}, in file order. */
  @SuppressWarnings("unchecked")
  Set<BigInteger> liveSerials(String subject, Instant now) {
    Set<BigInteger> out = new LinkedHashSet<>();
    Object v = bySubject.get(key(subject));
    List<Issued> all =
        v == null ? List.of() : v instanceof Issued one ? List.of(one) : (List<Issued>) v;
    for (Issued i : all) {
      if (Instant.ofEpochSecond(i.notAfter()).isAfter(now)) {
        out.add(i.serial());
      }
    }
    return out;
  }

  /** notAfter of every serial. */
  @SuppressWarnings("unchecked")
  Map<BigInteger, Instant> notAfter() {
    Map<BigInteger, Instant> out = new HashMap<>(size * 2);
    for (Object v : bySubject.values()) {
      for (Issued i : v instanceof Issued one ? List.of(one) : (List<Issued>) v) {
        out.put(i.serial(), Instant.ofEpochSecond(i.notAfter()));
      }
    }
    return out;
  }

  /**
   * True when some line records {@code serial}: a look-up in a compact serial set (built on first
   * use, then kept in step with appends through a small set of recent serials merged in batches),
   * so an OCSP flood of unknown serials costs no scan.
   */
  @SuppressWarnings("unchecked")
  boolean contains(BigInteger serial) {
    if (serials == null) {
      List<BigInteger> all = new ArrayList<>(size);
      for (Object v : bySubject.values()) {
        for (Issued i : v instanceof Issued one ? List.of(one) : (List<Issued>) v) {
          all.add(i.serial());
        }
      }
      serials = SerialSet.of(all);
      recent.clear();
    }
    return serials.contains(serial) || recent.contains(serial);
  }

  /** Keeps the serial set, once built, in step with an append. */
  private void indexSerial(BigInteger serial) {
    if (serials == null) {
      return;
    }
    recent.add(serial);
    if (recent.size() >= MERGE_AT) {
      serials = serials.plus(recent);
      recent.clear();
    }
  }

  int size() {
    return size;
  }
}
