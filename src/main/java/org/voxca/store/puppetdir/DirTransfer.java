package org.voxca.store.puppetdir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.voxca.files.AtomicFiles;
import org.voxca.store.InventoryEntry;
import org.voxca.store.StoreContent;

/**
 * {@link StoreContent} for a Puppet CA directory: its files read and written in Puppet's formats.
 */
final class DirTransfer implements StoreContent {
  private final CaPaths paths;

  DirTransfer(CaPaths paths) {
    this.paths = paths;
  }

  @Override
  public StoreContent.Snapshot snapshot() {
    return new StoreContent.Snapshot(
        bytes(paths.cacert()),
        Files.isRegularFile(paths.capub()) ? bytes(paths.capub()) : new byte[0],
        bytes(paths.cacrl()),
        Files.isRegularFile(paths.infraCrl()) ? bytes(paths.infraCrl()) : null,
        new SerialFile(paths.serial()).read(),
        List.copyOf(new TreeSet<>(DirFiles.lines(paths.infraInventory()))));
  }

  @Override
  public void eachInventoryEntry(Consumer<InventoryEntry> sink) {
    try {
      for (String line : Files.readAllLines(paths.inventory(), StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          sink.accept(parse(line));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + paths.inventory(), e);
    }
  }

  /**
   * {@code 0x0002 2020-08-20T20:26:27UTC 2025-08-20T20:26:27UTC /CN=Puppet CA: x} (spaces in S).
   */
  static InventoryEntry parse(String line) {
    String[] f = line.split(" ", 4);
    if (f.length < 4 || !f[0].startsWith("0x")) {
      throw new IllegalStateException("not an inventory line: '" + line + "'");
    }
    return new InventoryEntry(new BigInteger(f[0].substring(2), 16), date(f[1]), date(f[2]), f[3]);
  }

  private static Instant date(String s) {
    return ZonedDateTime.parse(s, InventoryFile.DATE).toInstant();
  }

  @Override
  public void eachCsr(BiConsumer<String, byte[]> sink) {
    each(paths.csrdir(), sink);
  }

  @Override
  public void eachCertificatePem(BiConsumer<String, byte[]> sink) {
    each(paths.signeddir(), sink);
  }

  private static void each(Path dir, BiConsumer<String, byte[]> sink) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.pem")) {
      ds.forEach(files::add);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
    files.sort(null);
    for (Path p : files) {
      String f = p.getFileName().toString();
      if (!f.startsWith(".")) {
        sink.accept(f.substring(0, f.length() - 4), bytes(p));
      }
    }
  }

  @Override
  public boolean holdsNoCa() {
    return !Files.exists(paths.cacert()) && !Files.exists(paths.inventory());
  }

  @Override
  public void restore(StoreContent.Snapshot s) {
    AtomicFiles.directory(paths.csrdir(), "rwxr-xr-x");
    AtomicFiles.directory(paths.signeddir(), "rwxr-xr-x");
    AtomicFiles.write(paths.capub(), s.publicKey(), AtomicFiles.PUBLIC);
    AtomicFiles.write(paths.cacrl(), s.crlChain(), AtomicFiles.PUBLIC);
    if (s.infraCrlChain() != null) {
      AtomicFiles.write(paths.infraCrl(), s.infraCrlChain(), AtomicFiles.PUBLIC);
    }
    StringBuilder infra = new StringBuilder();
    s.infraNodes().forEach(n -> infra.append(n).append('\n'));
    AtomicFiles.write(
        paths.infraInventory(),
        infra.toString().getBytes(StandardCharsets.UTF_8),
        AtomicFiles.PUBLIC);
    new SerialFile(paths.serial()).write(s.nextSerial());
    if (!Files.exists(paths.inventory())) {
      AtomicFiles.write(paths.inventory(), new byte[0], AtomicFiles.PUBLIC);
    }
    AtomicFiles.write(paths.cacert(), s.bundle(), AtomicFiles.PUBLIC);
  }

  @Override
  public void restoreInventory(List<InventoryEntry> entries) {
    StringBuilder sb = new StringBuilder();
    entries.forEach(
        e -> sb.append(InventoryFile.line(e.serial(), e.notBefore(), e.notAfter(), e.subject())));
    new InventoryFile(paths.inventory()).appendText(sb.toString());
  }

  @Override
  public void restoreCertificates(List<Map.Entry<String, byte[]>> certificates) {
    certificates.forEach(c -> restoreFile(paths.signeddir(), c.getKey(), c.getValue()));
  }

  @Override
  public void restoreCsr(String name, byte[] pem) {
    restoreFile(paths.csrdir(), name, pem);
  }

  private void restoreFile(Path dir, String name, byte[] pem) {
    AtomicFiles.directory(dir, "rwxr-xr-x");
    AtomicFiles.write(DirFiles.entry(dir, name), pem, AtomicFiles.PUBLIC);
  }

  private static byte[] bytes(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + p, e);
    }
  }
}
