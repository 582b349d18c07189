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
