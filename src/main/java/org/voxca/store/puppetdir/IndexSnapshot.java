package org.voxca.store.puppetdir;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voxca.files.AtomicFiles;
import org.voxca.store.CertificateRecord;

/**
 * The signed index as a file ({@code <cadir>/.voxca-index}), so a restart is ready without reading
 * every certificate: the records of a scan, the time that scan began, and the directory's change
 * marker. When {@code signed/} still bears that marker at start (no file added, removed or renamed
 * since), the records are served at once and the check below runs in the background; otherwise it
 * runs first: only files whose inode changed since the scan began (ctime: a restore, an edit, a
 * rename all move it) are read again, files gone are dropped. Public data only (names, serials,
 * dates, digests, alt names); a checksum guards it, and any doubt means a full scan.
 */
final class IndexSnapshot {
  private static final Logger LOG = LoggerFactory.getLogger(IndexSnapshot.class);
  private static final int MAGIC_V1 = 0x76786931; // "vxi1": no change marker
  private static final int MAGIC = 0x76786932; // "vxi2"

  /**
   * What a snapshot holds: the scan's start (epoch millis, slack included), the change marker of
   * {@code signed/} the records are known to reflect (its inode time in nanoseconds; 0 when none
   * could be vouched for) and the records.
   */
  record Content(long scanStartMillis, long marker, List<CertificateRecord> records) {}

  private IndexSnapshot() {}

  /** Writes the snapshot, streamed (never whole in memory), replacing the old one atomically. */
  static void write(
      Path file, long scanStartMillis, long marker, Collection<CertificateRecord> records) {
    try {
      AtomicFiles.write(
          file,
          AtomicFiles.PUBLIC,
          stream -> {
            CheckedOutputStream checked = new CheckedOutputStream(stream, new CRC32());
            DataOutputStream out = new DataOutputStream(checked);
            out.writeInt(MAGIC);
            out.writeLong(scanStartMillis);
            out.writeLong(marker);
            out.writeInt(records.size());
            for (CertificateRecord r : records) {
              writeRecord(out, r);
            }
            out.flush();
            new DataOutputStream(stream).writeLong(checked.getChecksum().getValue());
          });
    } catch (RuntimeException e) {
      LOG.warn("Cannot write the index snapshot {}: {}", file, e.toString());
    }
  }

  private static void writeRecord(DataOutputStream out, CertificateRecord r) throws IOException {
    out.writeUTF(r.name());
    byte[] serial = r.serial().toByteArray();
    out.writeShort(serial.length);
    out.write(serial);
    out.writeLong(r.notBefore().getEpochSecond());
    out.writeLong(r.notAfter().getEpochSecond());
    out.writeShort(r.digests().length);
    out.write(r.digests());
    out.writeShort(r.subjectAltNames().size());
    for (String s : r.subjectAltNames()) {
      out.writeUTF(s);
    }
    out.writeShort(r.authorizationExtensions().size());
    for (Map.Entry<String, String> e : r.authorizationExtensions().entrySet()) {
      out.writeUTF(e.getKey());
      out.writeUTF(e.getValue());
    }
  }

  /** The snapshot in {@code file}; empty (a WARN when it exists but is unusable) otherwise. */
  static Optional<Content> read(Path file) {
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      CheckedInputStream checked = new CheckedInputStream(raw, new CRC32());
      DataInputStream in = new DataInputStream(checked);
      int magic = in.readInt();
      if (magic != MAGIC && magic != MAGIC_V1) {
        throw new IOException("not a voxca index snapshot of this version");
      }
      long scanStart = in.readLong();
      long marker = magic == MAGIC ? in.readLong() : 0;
      int n = in.readInt();
      if (n < 0) {
        throw new IOException("bad record count");
      }
      List<CertificateRecord> records = new ArrayList<>(Math.min(n, 1 << 20));
      for (int i = 0; i < n; i++) {
        records.add(readRecord(in));
      }
      long computed = checked.getChecksum().getValue();
      if (new DataInputStream(raw).readLong() != computed || raw.read() != -1) {
        throw new IOException("checksum mismatch");
      }
      return Optional.of(new Content(scanStart, marker, records));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "Ignoring the index snapshot {}: {}; scanning every certificate", file, e.toString());
      return Optional.empty();
    }
  }

  private static CertificateRecord readRecord(DataInputStream in) throws IOException {
    String name = in.readUTF();
    BigInteger serial = new BigInteger(in.readNBytes(in.readUnsignedShort()));
    long notBefore = in.readLong();
    long notAfter = in.readLong();
    byte[] digests = in.readNBytes(in.readUnsignedShort());
    int sanCount = in.readUnsignedShort();
    List<String> sans = new ArrayList<>(sanCount);
    for (int s = 0; s < sanCount; s++) {
      sans.add(in.readUTF());
    }
    int extCount = in.readUnsignedShort();
    Map<String, String> ext = new LinkedHashMap<>();
    for (int x = 0; x < extCount; x++) {
      ext.put(in.readUTF(), in.readUTF());
    }
    return CertificateRecord.restored(name, serial, notBefore, notAfter, digests, sans, ext);
  }
}
