package org.voxca.store.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voxca.files.AtomicFiles;
import org.voxca.pki.TokenReference;
import org.voxca.store.KeyProtection;

/**
 * Where a replica finds the CA's private keys: a file in its cadir ({@code ca_key.pem}, {@code
 * root_key.pem}), as Puppet Server keeps them, or — when keys are encrypted — the database's {@code
 * ca_documents} ({@code ca_key}, {@code root_key}), sealed, so a new replica needs only the
 * passphrase. A file wins when both exist; a plain file under an encrypting protection is sealed in
 * place and copied into the database.
 */
final class PgCaKeys {
  private static final Logger LOG = LoggerFactory.getLogger(PgCaKeys.class);
  private final Sql sql;
  private final PgDocuments docs;
  private final Path cadir;
  private final KeyProtection keys;

  PgCaKeys(Sql sql, PgDocuments docs, Path cadir, KeyProtection keys) {
    this.sql = sql;
    this.docs = docs;
    this.cadir = cadir;
    this.keys = keys;
  }

  /** The file a key may live in: {@code ca_key} → {@code <cadir>/ca_key.pem}. */
  Path file(String doc) {
    return cadir.resolve(doc + ".pem");
  }

  /** True when the key {@code doc} is in the cadir or the database. */
  boolean present(String doc) {
    return Files.isRegularFile(file(doc)) || docs.document(doc).isPresent();
  }

  /** The plain key {@code doc}, or empty when neither place holds it. */
  Optional<String> read(String doc) {
    Path f = file(doc);
    if (Files.isRegularFile(f)) {
      String stored = text(f);
      String plain = keys.open(stored, f.toString());
      if (keys.needsSealing(stored)) {
        write(doc, plain);
        AtomicFiles.write(f, utf8(keys.seal(plain)), AtomicFiles.PRIVATE);
        LOG.warn(
            "Encrypted {} with the configured passphrase and stored it in the database too:"
                + " Puppet Server can no longer read it (voxca ca key --decrypt writes it plain)",
            f);
      }
      return Optional.of(plain);
    }
    return docs.document(doc)
        .map(s -> keys.open(new String(s.bytes(), StandardCharsets.US_ASCII), "database: " + doc));
  }

  /**
   * Stores {@code plainPem} as the key {@code doc}: sealed in the database when encrypting; a token
   * reference (no secret) in the database too, so a new replica needs only the token.
   */
  void write(String doc, String plainPem) {
    if (TokenReference.is(plainPem)) {
      sql.transaction(c -> PgDocuments.upsert(c, doc, utf8(plainPem), PgDocuments.now()));
    } else if (keys.encrypts()) {
      sql.transaction(
          c -> PgDocuments.upsert(c, doc, utf8(keys.seal(plainPem)), PgDocuments.now()));
    } else {
      AtomicFiles.write(file(doc), utf8(plainPem), AtomicFiles.PRIVATE);
    }
  }

  /**
   * Replaces the key {@code doc} by {@code text} (a token reference) in the database, and in the
   * cadir's file when one holds it (the old file kept aside, {@code .imported}); returns where the
   * old key still is.
   */
  List<String> replace(String doc, String text) {
    List<String> old = new ArrayList<>();
    if (docs.document(doc).isPresent()) {
      old.add("database: " + doc + " (its old row until PostgreSQL vacuums it, and every backup)");
    }
    sql.transaction(c -> PgDocuments.upsert(c, doc, utf8(text), PgDocuments.now()));
    Path f = file(doc);
    if (Files.isRegularFile(f)) {
      Path aside = f.resolveSibling(f.getFileName() + ".imported");
      try {
        if (Files.exists(aside)) {
          throw new IllegalStateException(aside + " exists: move it away first");
        }
        Files.move(f, aside, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot move " + f + " aside", e);
      }
      old.add(aside.toString());
    }
    return old;
  }

  /**
   * Rewrites every copy of the key {@code doc} for {@code next}: sealed copies (file and database)
   * re-encrypted in one step each; under a plain protection the file written plain and the database
   * copy removed (Puppet Server reads only the file).
   */
  void rewrite(String doc, KeyProtection next) {
    Optional<String> plain = read(doc);
    if (plain.isEmpty()) {
      return;
    }
    if (Files.isRegularFile(file(doc)) || !next.encrypts()) {
      AtomicFiles.write(file(doc), utf8(next.seal(plain.get())), AtomicFiles.PRIVATE);
    }
    if (next.encrypts()) {
      if (docs.document(doc).isPresent()) {
        sql.transaction(
            c -> PgDocuments.upsert(c, doc, utf8(next.seal(plain.get())), PgDocuments.now()));
      }
    } else {
      sql.update("DELETE FROM ca_documents WHERE name = ?", doc);
    }
  }

  /**
   * Replaces the key {@code doc} by {@code plainPem} wherever a copy is read from: as {@link
   * #write} stores it, and in the cadir's file too when one exists (a file wins over the database).
   */
  void overwrite(String doc, String plainPem) {
    write(doc, plainPem);
    if (Files.isRegularFile(file(doc)) && (TokenReference.is(plainPem) || keys.encrypts())) {
      String kept = TokenReference.is(plainPem) ? plainPem : keys.seal(plainPem);
      AtomicFiles.write(file(doc), utf8(kept), AtomicFiles.PRIVATE);
    }
  }

  /**
   * Deletes the key {@code doc} from this replica's cadir and the database; returns where a copy
   * may remain (a token's object, other replicas' cadirs).
   */
  List<String> delete(String doc) {
    List<String> left = new ArrayList<>();
    read(doc)
        .filter(TokenReference::is)
        .ifPresent(r -> left.add("token object '" + TokenReference.label(r) + "'"));
    sql.update("DELETE FROM ca_documents WHERE name = ?", doc);
    try {
      if (Files.deleteIfExists(file(doc))) {
        AtomicFiles.fsyncDirectory(cadir);
        left.add("the other replicas' " + file(doc).getFileName() + ", if copied there");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + file(doc), e);
    }
    return left;
  }

  private static String text(Path p) {
    try {
      return Files.readString(p, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + p, e);
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
