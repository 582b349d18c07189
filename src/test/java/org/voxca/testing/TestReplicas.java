package org.voxca.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Two voxca replicas on one fresh PostgreSQL database: A creates the CA, its key is copied into B's
 * cadir, B adopts it. Closed in reverse order, the database dropped last.
 */
public final class TestReplicas implements AutoCloseable {
  public final TestDatabase db;
  public final TestServer a;
  public final TestServer b;

  private TestReplicas(TestDatabase db, TestServer a, TestServer b) {
    this.db = db;
    this.a = a;
    this.b = b;
  }

  /** Both replicas under {@code root}, autosigning by {@code autosign} (a setting's value). */
  /**
   * Asserts that two replicas started with no key file in their cadirs share one CA: neither has
   * the file, both are ready, and a certificate {@code b} signs for {@code name} is served by
   * {@code a} and verifies with the CA's key.
   */
  public static void shareOneCaWithoutKeyFiles(TestServer a, TestServer b, String name)
      throws Exception {
    for (TestServer r : java.util.List.of(a, b)) {
      org.assertj.core.api.Assertions.assertThat(r.cadir().resolve("ca_key.pem")).doesNotExist();
      org.assertj.core.api.Assertions.assertThat(r.anonymous().get("/status/v1/simple").body())
          .as("ready with no key file")
          .isEqualTo("running");
    }
    org.assertj.core.api.Assertions.assertThat(b.issuer().certificate())
        .isEqualTo(a.issuer().certificate());
    String csr = TestPki.csr(name).pem();
    org.assertj.core.api.Assertions.assertThat(
            b.anonymous().put("/puppet-ca/v1/certificate_request/" + name, csr).statusCode())
        .isEqualTo(200);
    String cert = a.anonymous().get("/puppet-ca/v1/certificate/" + name).body();
    org.voxca.pki.Certificates.readCertificates(cert)
        .get(0)
        .verify(a.issuer().certificate().getPublicKey());
  }

  public static TestReplicas start(Path root, String autosign) throws Exception {
    return start(root, autosign, "");
  }

  /** As {@link #start(Path, String)}, with more HOCON for both replicas. */
  public static TestReplicas start(Path root, String autosign, String hocon) throws Exception {
    TestDatabase db = TestDatabase.create();
    TestServer a = null;
    try {
      a =
          TestServer.builder(root.resolve("a"))
              .autosign(autosign)
              .hocon(db.hocon(root.resolve("a")) + hocon)
              .start();
      Path keyB = root.resolve("b/puppetserver/ca/ca_key.pem");
      Files.createDirectories(keyB.getParent());
      if (Files.exists(a.cadir().resolve("ca_key.pem"))) { // else sealed in the database
        Files.copy(a.cadir().resolve("ca_key.pem"), keyB);
      }
      TestServer b =
          TestServer.builder(root.resolve("b"))
              .autosign(autosign)
              .hocon(db.hocon(root.resolve("b")) + hocon)
              .start();
      return new TestReplicas(db, a, b);
    } catch (Exception | Error e) {
      if (a != null) {
        a.close();
      }
      db.close();
      throw e;
    }
  }

  @Override
  public void close() {
    try {
      b.close();
    } finally {
      try {
        a.close();
      } finally {
        db.close();
      }
    }
  }
}
