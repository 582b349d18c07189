package org.voxca.store;

import java.util.List;

/** Presence of the CA's required documents: all, none, or some (a refused partial state). */
public record Layout(List<String> found, List<String> missing) {
  public boolean complete() {
    return missing.isEmpty();
  }

  public boolean empty() {
    return found.isEmpty();
  }
}
