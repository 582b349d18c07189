package org.voxca.store.puppetdir;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voxca.files.AtomicFiles;
import org.voxca.store.CertificateRecord;

/**
 * The signed index as a file ({@code <cadir>/.voxca-index}), so a restart is ready without reading
 * every certificate: the records of a scan, and the time that scan began. At start the records are
 * taken as they are and only files whose inode changed since that time (ctime: a restore, an edit,
 * a rename all move it) are read again, files gone are dropped. Public data only (names, serials,
 * dates, digests, alt names); a checksum guards it, and any doubt means a full scan.
 */
final class IndexSnapshot {
  private static final Logger LOG = LoggerFactory.getLogger(IndexSnapshot.class);
  private static final int MAGIC = 0x76786931; // "vxi1"

  /** What a snapshot holds: the scan's start (epoch millis, slack included) and its records. */
  record Content(long scanStartMillis, List<CertificateRecord> records) {}

  private IndexSnapshot() {}

  static void write(Path file, long scanStartMillis, Collection<CertificateRecord> records) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(records.size() * 256 + 64);
      DataOutputStream out = new DataOutputStream(new BufferedOutputStream(bytes, 1 << 16));
      out.writeInt(MAGIC);
      out.writeLong(scanStartMillis);
      out.writeInt(records.size());
      for (CertificateRecord r : records) {
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
      out.flush();
      byte[] body = bytes.toByteArray();
      CRC32 crc = new CRC32();
      crc.update(body);
      ByteArrayOutputStream all = new ByteArrayOutputStream(body.length + 8);
      all.writeBytes(body);
      new DataOutputStream(all).writeLong(crc.getValue());
      AtomicFiles.write(file, all.toByteArray(), AtomicFiles.PUBLIC);
    } catch (IOException | RuntimeException e) {
      LOG.warn("Cannot write the index snapshot {}: {}", file, e.toString());
    }
  }

  /** The snapshot in {@code file}; empty (a WARN when it exists but is unusable) otherwise. */
  static Optional<Content> read(Path file) {
    byte[] all;
    try {
      all = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      LOG.warn(
          "Cannot read the index snapshot {}: {}; scanning every certificate", file, e.toString());
      return Optional.empty();
    }
    try {
      if (all.length < 24) {
        throw new IOException("truncated");
      }
      CRC32 crc = new CRC32();
      crc.update(all, 0, all.length - 8);
      long stored =
          new DataInputStream(new java.io.ByteArrayInputStream(all, all.length - 8, 8)).readLong();
      if (stored != crc.getValue()) {
        throw new IOException("checksum mismatch");
      }
      InputStream body = new java.io.ByteArrayInputStream(all, 0, all.length - 8);
      DataInputStream in = new DataInputStream(new BufferedInputStream(body, 1 << 16));
      if (in.readInt() != MAGIC) {
        throw new IOException("not a voxca index snapshot of this version");
      }
      long scanStart = in.readLong();
      int n = in.readInt();
      List<CertificateRecord> records = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
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
        records.add(
            CertificateRecord.restored(name, serial, notBefore, notAfter, digests, sans, ext));
      }
      return Optional.of(new Content(scanStart, records));
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "Ignoring the index snapshot {}: {}; scanning every certificate", file, e.getMessage());
      return Optional.empty();
    }
  }
}
