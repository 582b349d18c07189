package org.voxca.store.puppetdir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.cert.X509Certificate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.voxca.pki.Names;

/**
 * {@code $cadir/inventory.txt}: one line per issued certificate, {@code $SN $NB $NA /$S}, e.g.
 * {@code 0x0002 2020-08-20T20:26:27UTC 2025-08-20T20:26:27UTC /CN=localhost}. Serial is
 * {@code 0x} plus upper-case hex padded to four digits; dates are UTC with a literal
 * {@code UTC} suffix. Lines are appended and fsynced, so a crash can lose at most a line being
 * written, never an earlier one.
 */
final class InventoryFile {
  static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'UTC'").withZone(ZoneOffset.UTC);

  private final Path path;

  InventoryFile(Path path) {
    this.path = path;
  }

  static String line(X509Certificate cert) {
    return "0x"
        + SerialFile.format(cert.getSerialNumber())
        + " "
        + DATE.format(cert.getNotBefore().toInstant())
        + " "
        + DATE.format(cert.getNotAfter().toInstant())
        + " "
        + Names.inventorySubject(cert.getSubjectX500Principal())
        + "\n";
  }

  void append(X509Certificate cert) {
    byte[] bytes = line(cert).getBytes(StandardCharsets.UTF_8);
    try (FileChannel ch =
        FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE)) {
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

  /** notAfter of every readable line, by serial. */
  java.util.Map<java.math.BigInteger, java.time.Instant> notAfter() {
    java.util.Map<java.math.BigInteger, java.time.Instant> out = new java.util.HashMap<>();
    try {
      for (String line : java.nio.file.Files.readAllLines(path, StandardCharsets.UTF_8)) {
        String[] f = line.split(" ", 4);
        if (f.length == 4 && f[0].matches("(0x)?[0-9A-Fa-f]+")) {
          try {
            out.put(new java.math.BigInteger(f[0].startsWith("0x") ? f[0].substring(2) : f[0], 16),
                java.time.Instant.from(DATE.parse(f[2])));
          } catch (java.time.DateTimeException e) {
            // skipped, as the CLI does
          }
        }
      }
    } catch (java.nio.file.NoSuchFileException e) {
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
    return out;
  }

  /** Serials of lines whose subject is {@code /CN=<name>} and notAfter after {@code now}. */
  java.util.Set<java.math.BigInteger> liveSerials(String name, java.time.Instant now) {
    java.util.Set<java.math.BigInteger> out = new java.util.LinkedHashSet<>();
    String subject = "/CN=" + name;
    java.util.List<String> lines;
    try {
      lines = java.nio.file.Files.readAllLines(path, StandardCharsets.UTF_8);
    } catch (java.nio.file.NoSuchFileException e) {
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
    String suffix = " " + subject;
    for (String line : lines) {
      if (!line.endsWith(suffix)) {
        continue; // the common case, decided without splitting the line
      }
      String[] f = line.split(" ", 4);
      if (f.length != 4 || !f[3].equals(subject) || !f[0].matches("(0x)?[0-9A-Fa-f]+")) {
        continue;
      }
      try {
        java.time.Instant notAfter = java.time.Instant.from(DATE.parse(f[2]));
        if (notAfter.isAfter(now)) {
          out.add(new java.math.BigInteger(f[0].startsWith("0x") ? f[0].substring(2) : f[0], 16));
        }
      } catch (java.time.DateTimeException e) {
        // an unreadable line is skipped, as the CLI does
      }
    }
    return out;
  }

  void create(X509Certificate first) {
    AtomicFiles.write(path, line(first).getBytes(StandardCharsets.UTF_8), AtomicFiles.PUBLIC);
  }
}
