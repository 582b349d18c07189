package org.voxca.store.puppetdir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.voxca.files.AtomicFiles;
import org.voxca.store.CaMaterial;
import org.voxca.store.Layout;
import org.voxca.store.StoredFile;

/** Reading the CA directory's files: safe entry names, contents with their times, listings. */
final class DirFiles {
  private DirFiles() {}

  /**
   * {@code dir/<name>.pem}, refusing anything that would leave {@code dir}: the CA rules already
   * restrict names, and this is the second, independent guard.
   */
  static Path entry(Path dir, String name) {
    return entry(dir, name, ".pem");
  }

  /** {@code dir/<name><suffix>}, with the same guard as {@link #entry(Path, String)}. */
  static Path entry(Path dir, String name, String suffix) {
    if (name.isEmpty()
        || name.contains("/")
        || name.contains("\\")
        || name.contains("\0")
        || name.equals(".")
        || name.equals("..")
        || name.startsWith(".")) {
      throw new IllegalArgumentException("unsafe name for a CA file: " + name);
    }
    Path p = dir.resolve(name + suffix).normalize();
    if (!p.getParent().equals(dir.normalize())) {
      throw new IllegalArgumentException("unsafe name for a CA file: " + name);
    }
    return p;
  }

  static Optional<StoredFile> stored(Path p) {
    try {
      Instant mtime = Files.getLastModifiedTime(p).toInstant();
      return Optional.of(new StoredFile(Files.readAllBytes(p), mtime));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + p, e);
    }
  }

  static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + p, e);
    }
  }

  /** Modification time, or the epoch when the file cannot be read. */
  static Instant mtime(Path p) {
    try {
      return Files.getLastModifiedTime(p).toInstant();
    } catch (IOException e) {
      return Instant.EPOCH;
    }
  }

  /** The non-blank lines of a file, trimmed; none when it does not exist. */
  static Set<String> lines(Path p) {
    try {
      Set<String> out = new LinkedHashSet<>();
      for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          out.add(line.trim());
        }
      }
      return out;
    } catch (NoSuchFileException e) {
      return Set.of();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + p, e);
    }
  }

  /** The names of {@code dir}'s {@code *.pem} files (hidden ones excluded), sorted. */
  static List<String> pemNames(Path dir) {
    List<String> names = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return names;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.pem")) {
      for (Path p : ds) {
        String f = p.getFileName().toString();
        if (!f.startsWith(".")) {
          names.add(f.substring(0, f.length() - 4));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
    names.sort(null);
    return names;
  }

  /** Which of the CA's required files exist. */
  static Layout layout(CaPaths paths) {
    List<String> found = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (Path p :
        List.of(paths.cacert(), paths.cacrl(), paths.cakey(), paths.inventory(), paths.serial())) {
      (Files.isRegularFile(p) ? found : missing).add(p.toString());
    }
    return new Layout(found, missing);
  }

  /** The CA's own files as text (the public key may be missing: Puppet never reads it). */
  static CaMaterial material(CaPaths paths) {
    String pub = Files.isRegularFile(paths.capub()) ? read(paths.capub()) : "";
    return new CaMaterial(read(paths.cacert()), read(paths.cakey()), pub, read(paths.cacrl()));
  }

  /** Deletes a file and syncs its directory; false when there was none. */
  /**
   * A second name for {@code p} beside it ({@code <name><suffix>}, a hard link: the same bytes and
   * permissions), made before {@code p} is replaced, so a crash leaves the old content under one of
   * the two names. Refuses when that name exists.
   */
  static Path linkAside(Path p, String suffix) {
    Path aside = p.resolveSibling(p.getFileName() + suffix);
    try {
      if (Files.exists(aside, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        throw new IllegalStateException(aside + " exists: move it away first");
      }
      Files.createLink(aside, p);
      AtomicFiles.fsyncDirectory(p.getParent());
      return aside;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot link " + p + " aside", e);
    }
  }

  static boolean deleteSynced(Path p) {
    try {
      boolean deleted = Files.deleteIfExists(p);
      if (deleted) {
        AtomicFiles.fsyncDirectory(p.getParent());
      }
      return deleted;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + p, e);
    }
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
