package org.voxca.store.puppetdir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.voxca.files.AtomicFiles;

/**
 * {@code $cadir/serial}: the next serial to issue, hexadecimal, no newline. Written as Puppet
 * Server does, upper case zero-padded to at least four digits ({@code 002A}); read in any case and
 * length ({@code 05}, {@code 1f}, 128-bit values), so the CLI's lower-case files work too.
 */
final class SerialFile {
  private final Path path;

  SerialFile(Path path) {
    this.path = path;
  }

  BigInteger read() {
    String text;
    try {
      text = Files.readString(path, StandardCharsets.US_ASCII).trim();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read serial file " + path, e);
    }
    if (!text.matches("(0[xX])?[0-9A-Fa-f]+")) {
      throw new IllegalStateException(
          "serial file " + path + " does not hold a hex number: " + text);
    }
    if (text.startsWith("0x") || text.startsWith("0X")) {
      text = text.substring(2);
    }
    return new BigInteger(text, 16);
  }

  void write(BigInteger next) {
    AtomicFiles.write(path, format(next).getBytes(StandardCharsets.US_ASCII), AtomicFiles.PUBLIC);
  }

  static String format(BigInteger serial) {
    String hex = serial.toString(16).toUpperCase(Locale.ROOT);
    return hex.length() >= 4 ? hex : "0".repeat(4 - hex.length()) + hex;
  }
}
