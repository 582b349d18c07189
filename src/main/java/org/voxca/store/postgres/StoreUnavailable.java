package org.voxca.store.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;

/**
 * The database did not answer or refused a statement: the change did not happen. An I/O failure
 * (the HTTP layer answers 503 with Retry-After for any), whose cause is the SQL error.
 */
public final class StoreUnavailable extends UncheckedIOException {
  private static final long serialVersionUID = 1L;

  StoreUnavailable(SQLException cause) {
    super("the CA database is unavailable: " + oneLine(cause), new IOException(cause));
  }

  private static String oneLine(SQLException e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
