package org.voxca.store.puppetdir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.voxca.files.AtomicFiles;
import org.voxca.store.EnrolmentRecords;
import org.voxca.store.EnrolmentToken;

/**
 * Autosigning's records in the CA directory, under {@code enrolment/} (Puppet Server ignores it):
 * {@code tokens/<id>.txt} (one token each, replaced atomically on every use), {@code claims/<sha256
 * of key>} (created exclusively, so a second claim fails) and {@code decisions/<name>.txt}. Uses
 * are serialised in-process; the directory lock keeps other processes out.
 */
final class DirEnrolment implements EnrolmentRecords {
  private final Path tokens;
  private final Path claims;
  private final Path decisions;

  DirEnrolment(Path cadir) {
    List<Path> dirs = directories(cadir);
    this.tokens = dirs.get(0);
    this.claims = dirs.get(1);
    this.decisions = dirs.get(2);
  }

  /** Its directories under {@code cadir}: tokens, claims, decisions (the check cleans them too). */
  static List<Path> directories(Path cadir) {
    Path base = cadir.resolve("enrolment");
    return List.of(base.resolve("tokens"), base.resolve("claims"), base.resolve("decisions"));
  }

  @Override
  public synchronized void addToken(EnrolmentToken token) {
    Path file = tokenFile(token.id());
    if (Files.exists(file)) {
      throw new IllegalArgumentException("a token with id " + token.id() + " exists");
    }
    write(file, token.toText());
  }

  @Override
  public List<EnrolmentToken> tokens() {
    if (!Files.isDirectory(tokens)) {
      return List.of();
    }
    List<EnrolmentToken> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(tokens)) {
      for (Path f : files.filter(f -> f.toString().endsWith(".txt")).toList()) {
        out.add(EnrolmentToken.fromText(DirFiles.read(f)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + tokens, e);
    }
    out.sort(Comparator.comparing(EnrolmentToken::created).thenComparing(EnrolmentToken::id));
    return out;
  }

  @Override
  public Optional<EnrolmentToken> token(String hash) {
    if (!hash.matches("[0-9a-f]{64}")) {
      return Optional.empty();
    }
    return DirFiles.stored(tokenFile(EnrolmentToken.idOf(hash)))
        .map(f -> EnrolmentToken.fromText(f.text()))
        .filter(t -> t.hash().equals(hash));
  }

  @Override
  public synchronized Optional<EnrolmentToken> useToken(String hash, Instant now) {
    Optional<EnrolmentToken> t = token(hash).filter(x -> x.usableAt(now));
    if (t.isEmpty()) {
      return Optional.empty();
    }
    EnrolmentToken used = t.get().withOneMoreUse();
    write(tokenFile(used.id()), used.toText());
    return Optional.of(used);
  }

  @Override
  public synchronized boolean revokeToken(String id) {
    if (!id.matches("[0-9a-f]{16}")) {
      return false;
    }
    Optional<EnrolmentToken> t =
        DirFiles.stored(tokenFile(id)).map(f -> EnrolmentToken.fromText(f.text()));
    t.ifPresent(x -> write(tokenFile(id), x.asRevoked().toText()));
    return t.isPresent();
  }

  @Override
  public boolean claimOnce(String key, Instant until) {
    AtomicFiles.directory(claims, "rwxr-x---");
    Path file = claims.resolve(EnrolmentToken.sha256(key));
    try {
      Files.write(
          file,
          (until + "\n" + key).getBytes(StandardCharsets.UTF_8),
          StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE,
          StandardOpenOption.SYNC);
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record a claim in " + claims, e);
    }
    AtomicFiles.fsyncDirectory(claims);
    return true;
  }

  @Override
  public Map<String, Instant> claims() {
    Map<String, Instant> out = new TreeMap<>();
    if (!Files.isDirectory(claims)) {
      return out;
    }
    try (Stream<Path> files = Files.list(claims)) {
      for (Path f : files.toList()) {
        String[] lines = DirFiles.read(f).split("\n", 2);
        if (lines.length == 2) { // an empty file is a claim a crash cut short: it stays here
          out.put(lines[1], Instant.parse(lines[0]));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + claims, e);
    }
    return out;
  }

  @Override
  public void recordDecision(String name, String reason) {
    AtomicFiles.directory(decisions, "rwxr-x---");
    AtomicFiles.write(
        DirFiles.entry(decisions, name, ".txt"),
        reason.getBytes(StandardCharsets.UTF_8),
        AtomicFiles.PRIVATE);
  }

  @Override
  public Optional<String> decision(String name) {
    return DirFiles.stored(DirFiles.entry(decisions, name, ".txt")).map(f -> f.text());
  }

  private Path tokenFile(String id) {
    return DirFiles.entry(tokens, id, ".txt");
  }

  private void write(Path file, String text) {
    AtomicFiles.directory(file.getParent(), "rwxr-x---");
    AtomicFiles.write(file, text.getBytes(StandardCharsets.UTF_8), AtomicFiles.PRIVATE);
  }
}
