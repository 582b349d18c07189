package org.voxca.ca;

import java.util.List;

/** Outcome of bulk signing, in Puppet's three lists. */
public record SignResult(List<String> signed, List<String> noCsr, List<String> signingErrors) {
  public SignResult {
    signed = List.copyOf(signed);
    noCsr = List.copyOf(noCsr);
    signingErrors = List.copyOf(signingErrors);
  }
}
