package org.voxca.store;

import java.util.List;

/**
 * A store that can check itself and repair what a crash can leave behind ({@code voxca ca check},
 * and the quick check before serving).
 */
public interface Checkable {

  /**
   * Brings an adopted store into shape before serving (directories created, what a crash left
   * behind repaired); returns one line per problem found and per repair made, for the log.
   */
  List<String> prepare();

  /** Checks that the store agrees with itself, repairing what it can when {@code repair} is set. */
  CheckReport check(boolean repair);
}
