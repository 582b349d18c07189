package org.voxca.ca.autosign;

import java.time.Duration;
import java.util.Map;

/**
 * What a new enrolment token allows: one certname or a glob of names ({@code *.example.com}, as in
 * autosign.conf), for {@code ttl}, {@code uses} times, and the Puppet extensions a CSR may request
 * with it (short name such as {@code pp_role}, or OID, to the one value allowed).
 */
public record TokenSpec(
    String certname, String glob, Duration ttl, int uses, Map<String, String> extensions) {
  public TokenSpec {
    extensions = Map.copyOf(extensions);
  }
}
