package org.voxca.store.postgres;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.store.CaStore;
import org.voxca.store.CaStoreContract;
import org.voxca.testing.TestDatabase;

/**
 * The store contract on a real PostgreSQL, a fresh database per case: a second replica shares the
 * store; a database that refuses connections makes writes fail with {@code StoreUnavailable}.
 */
class PostgresStoreContractIT extends CaStoreContract {
  @TempDir Path cadir;
  private TestDatabase db;

  @Override
  protected CaStore openEmpty() {
    db = TestDatabase.create();
    return open();
  }

  private PostgresStore open() {
    PostgresStore s =
        new PostgresStore(PgDatabase.open(db.url, TestDatabase.USER, db.password()), cadir, false);
    return s;
  }

  @Override
  protected CaStore openSecond(CaStore first) {
    return open();
  }

  @Override
  protected boolean breakStorage() {
    db.block();
    return true;
  }

  @Override
  protected void repairStorage() {
    db.unblock();
  }

  @AfterEach
  void dropDatabase() {
    if (db != null) {
      db.close();
    }
  }
}
