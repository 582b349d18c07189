package org.voxca.store;

import java.util.List;

/** What a store's consistency check found and, when it repaired, what it did. */
public record CheckReport(List<String> problems, List<String> repairs) {
  public boolean clean() {
    return problems.isEmpty();
  }
}
