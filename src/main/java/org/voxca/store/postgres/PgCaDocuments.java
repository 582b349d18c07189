package org.voxca.store.postgres;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.voxca.store.CaDocuments;
import org.voxca.store.CaMaterial;
import org.voxca.store.KeyProtection;
import org.voxca.store.Layout;
import org.voxca.store.StoredFile;

/**
 * The CA's documents of the database store: bundle, public key and CRL chains in {@code
 * ca_documents} (shared by every replica), the CA's private keys in each replica's cadir.
 */
final class PgCaDocuments implements CaDocuments {
  private static final String BUNDLE = PgDocuments.BUNDLE;
  private static final String PUB = PgDocuments.PUB;
  private static final String CRL = PgDocuments.CRL;
  private static final String INFRA_CRL = PgDocuments.INFRA_CRL;
  static final String CA_KEY = "ca_key";
  static final String ROOT_KEY = "root_key";
  static final String NEXT_KEY = "next_key";
  static final String NEXT_ROOT_KEY = "next_root_key";
  static final String NEXT_CRT = "next_crt";
  static final String ROLLOVER = "rollover_stage";
  static final String RETIRED_CRT = "retired_ca_crt";
  private final Sql sql;
  private final PgDocuments docs;
  private final Path cadir;
  private final PgCaKeys keys;

  PgCaDocuments(Sql sql, PgDocuments docs, Path cadir, KeyProtection keys) {
    this.sql = sql;
    this.docs = docs;
    this.cadir = cadir;
    this.keys = new PgCaKeys(sql, docs, cadir, keys);
  }

  Path cakey() {
    return cadir.resolve("ca_key.pem");
  }

  PgCaKeys keys() {
    return keys;
  }

  @Override
  public void rewriteKeys(KeyProtection next) {
    keys.rewrite(CA_KEY, next);
    keys.rewrite(ROOT_KEY, next);
    keys.rewrite(NEXT_KEY, next);
    keys.rewrite(NEXT_ROOT_KEY, next);
  }

  @Override
  public List<String> replaceKeys(String caKey, String rootKey) {
    List<String> old = new ArrayList<>(keys.replace(CA_KEY, caKey));
    if (rootKey != null) {
      old.addAll(keys.replace(ROOT_KEY, rootKey));
    }
    return old;
  }

  @Override
  public Layout layout() {
    List<String> found = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    (keys.present(CA_KEY) ? found : missing).add(cakey() + " (or database: ca_key)");
    for (String doc : List.of(BUNDLE, CRL)) {
      (docs.document(doc).isPresent() ? found : missing).add("database: " + doc);
    }
    return new Layout(found, missing);
  }

  @Override
  public CaMaterial readCa() {
    return new CaMaterial(
        text(docs.document(BUNDLE).orElseThrow()),
        keys.read(CA_KEY).orElseThrow(() -> new IllegalStateException("no CA key: " + cakey())),
        docs.document(PUB).map(PgCaDocuments::text).orElse(""),
        text(docs.document(CRL).orElseThrow()));
  }

  @Override
  public void initializeCa(CaMaterial m, X509Certificate caCert, BigInteger nextSerial) {
    if (!keys.present(CA_KEY)) {
      keys.write(CA_KEY, m.privateKeyPem());
    }
    Instant now = PgDocuments.now();
    sql.transaction(
        c -> {
          PgDocuments.upsert(c, PUB, utf8(m.publicKeyPem()), now);
          PgDocuments.upsert(c, CRL, utf8(m.crlChainPem()), now);
          PgDocuments.upsert(c, INFRA_CRL, utf8(m.crlChainPem()), now);
          Sql.setval(c, nextSerial);
          if (caCert != null) {
            PgRecords.insertInventory(c, caCert);
          }
          PgDocuments.upsert(
              c, BUNDLE, utf8(m.certBundlePem()), now); // last: it marks a complete CA
          return null;
        });
  }

  @Override
  public void saveRootKey(String pem) {
    keys.write(ROOT_KEY, pem);
  }

  @Override
  public Optional<String> rootKey() {
    return keys.read(ROOT_KEY);
  }

  @Override
  public StoredFile caBundle() {
    return docs.document(BUNDLE).orElseThrow(() -> new IllegalStateException("no CA bundle"));
  }

  @Override
  public StoredFile crlChain() {
    return docs.document(CRL).orElseThrow(() -> new IllegalStateException("no CRL chain"));
  }

  @Override
  public Instant caBundleModified() {
    return docs.modified(BUNDLE);
  }

  @Override
  public Instant crlChainModified() {
    return docs.modified(CRL);
  }

  @Override
  public Optional<StoredFile> infraCrlChain() {
    return docs.document(INFRA_CRL);
  }

  @Override
  public void replaceInfraCrlChain(byte[] pem) {
    sql.inConnection(c -> PgDocuments.upsert(c, INFRA_CRL, pem, PgDocuments.now()));
  }

  @Override
  public void replaceCaBundle(byte[] pem, String backupSuffix) {
    docs.replaceBundle(pem, backupSuffix);
  }

  @Override
  public void replaceCrlChain(byte[] pem) {
    sql.inConnection(c -> PgDocuments.upsert(c, CRL, pem, PgDocuments.now()));
  }

  private static String text(StoredFile f) {
    return f.text();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot read " + p, e);
    }
  }

  @Override
  public Optional<org.voxca.store.NextGeneration> nextGeneration() {
    Optional<StoredFile> stage = docs.document(ROLLOVER);
    if (stage.isEmpty()) {
      return Optional.empty();
    }
    String cert = text(docs.document(NEXT_CRT).orElseThrow());
    String key = keys.read(NEXT_KEY).orElse(null); // a plain key not copied to this replica yet
    return Optional.of(
        org.voxca.store.NextGeneration.parse(
            cert, key, stage.get().text(), keys.read(NEXT_ROOT_KEY).orElse(null)));
  }

  /**
   * The key written as {@link PgCaKeys#write} keeps it (a plain one in this replica's cadir: every
   * other replica needs its {@code next_key.pem} moved over its {@code ca_key.pem}), the documents
   * in one transaction, the bundle last.
   */
  @Override
  public List<String> promoteNextGeneration(
      CaMaterial next, String infraCrlChainPem, String retiredCaPem) {
    List<String> left = new ArrayList<>();
    if (retiredCaPem != null) {
      sql.transaction(
          c -> PgDocuments.upsert(c, RETIRED_CRT, utf8(retiredCaPem), PgDocuments.now()));
    }
    String current = keys.read(CA_KEY).orElse("");
    if (!current.equals(next.privateKeyPem())) {
      keys.overwrite(CA_KEY, next.privateKeyPem());
      left.add("the database's backups (the previous key was replaced in place)");
      left.add("every other replica's ca_key.pem: replace it by its next_key.pem before it starts");
    }
    Optional<String> nextRoot = keys.read(NEXT_ROOT_KEY);
    if (nextRoot.isPresent() && !nextRoot.get().equals(keys.read(ROOT_KEY).orElse(""))) {
      keys.overwrite(ROOT_KEY, nextRoot.get());
      left.add(
          "every other replica's root_key.pem: replace it by its next_root_key.pem before it"
              + " starts");
    }
    Instant now = PgDocuments.now();
    sql.transaction(
        c -> {
          PgDocuments.upsert(c, PUB, utf8(next.publicKeyPem()), now);
          PgDocuments.upsert(c, CRL, utf8(next.crlChainPem()), now);
          if (infraCrlChainPem != null) {
            PgDocuments.upsert(c, INFRA_CRL, utf8(infraCrlChainPem), now);
          }
          PgDocuments.upsert(c, BUNDLE, utf8(next.certBundlePem()), now);
          return null;
        });
    return left;
  }

  @Override
  public Optional<String> retiredCa() {
    return docs.document(RETIRED_CRT).map(PgCaDocuments::text);
  }

  @Override
  public Instant nextGenerationModified() {
    return docs.modified(ROLLOVER);
  }

  /**
   * The key as {@link PgCaKeys#write} keeps it (a plain key in this replica's cadir, which the
   * others need a copy of; sealed or a token's reference in the database), then certificate and
   * stage in one transaction.
   */
  @Override
  public void saveNextGeneration(org.voxca.store.NextGeneration next) {
    if (next.keyPem() != null) {
      keys.write(NEXT_KEY, next.keyPem());
    }
    if (next.rootKeyPem() != null) {
      keys.write(NEXT_ROOT_KEY, next.rootKeyPem());
    }
    Instant now = PgDocuments.now();
    sql.transaction(
        c -> {
          PgDocuments.upsert(c, NEXT_CRT, utf8(next.certificatePem()), now);
          PgDocuments.upsert(c, ROLLOVER, utf8(next.stageLine()), now);
          return null;
        });
  }

  @Override
  public List<String> dropNextGeneration() {
    sql.transaction(
        c -> {
          PgDocuments.delete(c, ROLLOVER);
          PgDocuments.delete(c, NEXT_CRT);
          return null;
        });
    List<String> left = new ArrayList<>(keys.delete(NEXT_KEY));
    left.addAll(keys.delete(NEXT_ROOT_KEY));
    return left;
  }
}
