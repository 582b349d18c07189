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
import org.voxca.files.AtomicFiles;
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
  private final Sql sql;
  private final PgDocuments docs;
  private final Path cadir;
  private final KeyProtection keys;

  PgCaDocuments(Sql sql, PgDocuments docs, Path cadir, KeyProtection keys) {
    this.sql = sql;
    this.docs = docs;
    this.cadir = cadir;
    this.keys = keys;
  }

  Path cakey() {
    return cadir.resolve("ca_key.pem");
  }

  @Override
  public Layout layout() {
    List<String> found = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    (Files.isRegularFile(cakey()) ? found : missing).add(cakey().toString());
    for (String doc : List.of(BUNDLE, CRL)) {
      (docs.document(doc).isPresent() ? found : missing).add("database: " + doc);
    }
    return new Layout(found, missing);
  }

  @Override
  public CaMaterial readCa() {
    return new CaMaterial(
        text(docs.document(BUNDLE).orElseThrow()),
        keys.open(read(cakey()), cakey().toString()),
        docs.document(PUB).map(PgCaDocuments::text).orElse(""),
        text(docs.document(CRL).orElseThrow()));
  }

  @Override
  public void initializeCa(CaMaterial m, X509Certificate caCert, BigInteger nextSerial) {
    if (!Files.isRegularFile(cakey())) {
      AtomicFiles.write(cakey(), utf8(keys.seal(m.privateKeyPem())), AtomicFiles.PRIVATE);
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
    AtomicFiles.write(cadir.resolve("root_key.pem"), utf8(keys.seal(pem)), AtomicFiles.PRIVATE);
  }

  @Override
  public Optional<String> rootKey() {
    Path p = cadir.resolve("root_key.pem");
    return Files.isRegularFile(p)
        ? Optional.of(keys.open(read(p), p.toString()))
        : Optional.empty();
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
}
