package org.voxca.store.puppetdir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.voxca.files.AtomicFiles;
import org.voxca.pki.Certificates;
import org.voxca.pki.PkiException;

/**
 * Checks that a Puppet CA directory agrees with itself after a crash, and repairs what a crash can
 * leave behind: stray temp files, a torn last inventory line, signed certificates missing from the
 * inventory (signed just before the crash, never acknowledged), a serial file not ahead of every
 * issued serial. Run at every start (repairing) and by {@code voxca ca check}.
 */
public final class ConsistencyCheck {
  private ConsistencyCheck() {}

  /** What was found and, when repairing, what was done. */
  public record Report(List<String> problems, List<String> repairs) {
    public boolean clean() {
      return problems.isEmpty();
    }
  }

  /**
   * The quick check of every start: temp files, the inventory's last line, the serial file. It does
   * not read {@code signed/}: voxca appends the inventory line before it writes the signed file, so
   * a crash cannot leave a certificate missing from the inventory.
   */
  public static Report run(CaPaths paths, boolean repair) {
    return run(paths, repair, false);
  }

  /** With {@code full}, every signed file is read too ({@code voxca ca check}). */
  public static Report run(CaPaths paths, boolean repair, boolean full) {
    List<String> problems = new ArrayList<>();
    List<String> repairs = new ArrayList<>();
    try {
      // signed/ holds one file per node: listing it costs ~100 ms at 100,000, so at start its stale
      // temp files are left to the index scan, which lists it anyway (SignedIndex).
      List<Path> dirs = new ArrayList<>(List.of(paths.cadir(), paths.csrdir()));
      dirs.addAll(DirEnrolment.directories(paths.cadir()));
      if (full) {
        dirs.add(paths.signeddir());
      }
      for (Path dir : dirs) {
        for (Path tmp : list(dir, "*" + AtomicFiles.TEMP_SUFFIX)) {
          if (!AtomicFiles.staleTemp(tmp.getFileName().toString())) {
            continue; // this process is writing it now (the index snapshot, in the background)
          }
          problems.add("stray temp file " + tmp);
          if (repair) {
            Files.deleteIfExists(tmp);
            repairs.add("deleted " + tmp);
          }
        }
      }
      Set<BigInteger> inventoried = inventorySerials(paths.inventory(), problems, repairs, repair);
      BigInteger highest = BigInteger.ZERO;
      for (BigInteger s : inventoried) {
        highest = sequential(s) ? highest.max(s) : highest;
      }
      InventoryFile inventory = new InventoryFile(paths.inventory());
      // Another tool (or a voxca older than this ordering) may have left a certificate out of the
      // inventory.
      for (Path p : full ? list(paths.signeddir(), "*.pem") : List.<Path>of()) {
        X509Certificate c;
        try {
          c = Certificates.readCertificates(Files.readString(p, StandardCharsets.US_ASCII)).get(0);
        } catch (PkiException | IndexOutOfBoundsException e) {
          problems.add("unreadable certificate " + p);
          continue;
        }
        highest = sequential(c.getSerialNumber()) ? highest.max(c.getSerialNumber()) : highest;
        if (!inventoried.contains(c.getSerialNumber())) {
          problems.add(
              "serial "
                  + c.getSerialNumber()
                  + " of "
                  + p.getFileName()
                  + " is missing from the inventory");
          if (repair) {
            inventory.append(c);
            inventoried.add(c.getSerialNumber());
            repairs.add("added serial " + c.getSerialNumber() + " to the inventory");
          }
        }
      }
      SerialFile serial = new SerialFile(paths.serial());
      BigInteger next = serial.read();
      if (next.compareTo(highest) <= 0) {
        problems.add(
            "the serial file ("
                + SerialFile.format(next)
                + ") is not ahead of the highest issued serial ("
                + SerialFile.format(highest)
                + ")");
        if (repair) {
          serial.write(highest.add(BigInteger.ONE));
          repairs.add("serial file set to " + SerialFile.format(highest.add(BigInteger.ONE)));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot check " + paths.cadir(), e);
    }
    return new Report(problems, repairs);
  }

  /** Random 128-bit serials (bit 126 set) do not count against the sequential serial file. */
  private static boolean sequential(BigInteger serial) {
    return serial.bitLength() < 127;
  }

  /** Serials of the inventory; a torn last line (no newline: a crash mid-append) is cut off. */
  private static Set<BigInteger> inventorySerials(
      Path inventory, List<String> problems, List<String> repairs, boolean repair)
      throws IOException {
    Set<BigInteger> out = new HashSet<>();
    if (!Files.isRegularFile(inventory)) {
      return out;
    }
    byte[] bytes = Files.readAllBytes(inventory);
    int end = bytes.length;
    if (end > 0 && bytes[end - 1] != '\n') {
      int lastNewline = end - 1;
      while (lastNewline >= 0 && bytes[lastNewline] != '\n') {
        lastNewline--;
      }
      String torn =
          new String(bytes, lastNewline + 1, end - lastNewline - 1, StandardCharsets.UTF_8);
      if (!torn.matches("0x[0-9A-Fa-f]+ \\S+UTC \\S+UTC /.+")) {
        problems.add("torn last line in the inventory: '" + torn + "'");
        if (repair) {
          try (FileChannel ch = FileChannel.open(inventory, StandardOpenOption.WRITE)) {
            ch.truncate(lastNewline + 1);
            ch.force(true);
          }
          repairs.add("cut the torn inventory line");
        }
        end = lastNewline + 1;
      }
    }
    int p = 0;
    while (p < end) {
      int nl = p;
      while (nl < end && bytes[nl] != '\n') {
        nl++;
      }
      int from = nl - p > 2 && bytes[p] == '0' && bytes[p + 1] == 'x' ? p + 2 : p;
      int space = from;
      while (space < nl && Character.digit(bytes[space], 16) >= 0) {
        space++;
      }
      if (space > from && space < nl && bytes[space] == ' ') {
        out.add(
            new BigInteger(new String(bytes, from, space - from, StandardCharsets.US_ASCII), 16));
      }
      p = nl + 1;
    }
    return out;
  }

  private static List<Path> list(Path dir, String glob) throws IOException {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, glob)) {
      ds.forEach(out::add);
    }
    return out;
  }
}
