package org.voxca.store.puppetdir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.voxca.files.AtomicFiles;
import org.voxca.pki.Names;

/**
 * {@code $cadir/inventory.txt}: one line per issued certificate, {@code $SN $NB $NA /$S}, e.g.
 * {@code 0x0002 2020-08-20T20:26:27UTC 2025-08-20T20:26:27UTC /CN=localhost}. Serial is {@code 0x}
 * plus upper-case hex padded to four digits; dates are UTC with a literal {@code UTC} suffix. Lines
 * are appended and fsynced, so a crash can lose at most a line being written, never an earlier one.
 */
final class InventoryFile {
  static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'UTC'").withZone(ZoneOffset.UTC);

  private final Path path;

  InventoryFile(Path path) {
    this.path = path;
  }

  static String line(X509Certificate cert) {
    return line(
        cert.getSerialNumber(),
        cert.getNotBefore().toInstant(),
        cert.getNotAfter().toInstant(),
        Names.inventorySubject(cert.getSubjectX500Principal()));
  }

  static String line(BigInteger serial, Instant notBefore, Instant notAfter, String subject) {
    return "0x"
        + SerialFile.format(serial)
        + " "
        + DATE.format(notBefore)
        + " "
        + DATE.format(notAfter)
        + " "
        + subject
        + "\n";
  }

  void append(X509Certificate cert) {
    appendText(line(cert));
  }

  /** Appends whole lines (after a newline if the last line lacks one), then fsyncs. */
  void appendText(String lines) {
    byte[] bytes = lines.getBytes(StandardCharsets.UTF_8);
    try (FileChannel ch =
        FileChannel.open(
            path, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE)) {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      ch.position(ch.size());
      if (ch.size() > 0) {
        ByteBuffer last = ByteBuffer.allocate(1);
        ch.read(last, ch.size() - 1);
        if (last.get(0) != '\n') {
          ch.write(ByteBuffer.wrap(new byte[] {'\n'}));
        }
      }
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + path, e);
    }
  }

  void create(X509Certificate first) {
    AtomicFiles.write(path, line(first).getBytes(StandardCharsets.UTF_8), AtomicFiles.PUBLIC);
  }
}
