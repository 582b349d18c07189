package org.voxca.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every key voxca reads under {@code voxca} and {@code certificate-authority}: a key it does not
 * know (a misspelling, most often) is ignored with a WARN naming the nearest known key, instead of
 * silently changing nothing.
 */
final class KnownKeys {
  private static final Logger LOG = LoggerFactory.getLogger(KnownKeys.class);

  static final Set<String> VOXCA =
      Set.of(
          "access-log",
          "audit-log",
          "autosign-gem-config",
          "autosign-max-concurrent",
          "autosign-timeout",
          "autosign-tokens",
          "body-timeout",
          "console.enabled",
          "ca-chain",
          "ca-key.key-label",
          "ca-key.library",
          "ca-key.passphrase-file",
          "ca-key.pin-file",
          "ca-key.retry",
          "ca-key.token-label",
          "ca-key.type",
          "crl-ttl",
          "handshake-timeout",
          "max-body-bytes",
          "max-connections",
          "max-connections-per-address",
          "max-submissions-per-address",
          "metrics.host",
          "metrics.port",
          "min-rsa-key-bits",
          "ocsp-signer",
          "ocsp-url",
          "serials",
          "shed-after",
          "store.password-file",
          "store.type",
          "store.url",
          "store.user",
          "tls.ecdsa-server-certificate",
          "tls.engine");

  /** Puppet Server's own keys, and every puppet.conf setting voxca reads (dashes or not). */
  static final Set<String> CERTIFICATE_AUTHORITY =
      Set.of(
          "allow-subject-alt-names",
          "allow-authorization-extensions",
          "allow-auto-renewal",
          "auto-renewal-cert-ttl",
          "enable-infra-crl",
          "certificate-status.client-whitelist",
          "certificate-status.authorization-required",
          "certname",
          "dns-alt-names",
          "ssldir",
          "cadir",
          "cacert",
          "cakey",
          "capub",
          "cacrl",
          "csrdir",
          "signeddir",
          "serial",
          "cert-inventory",
          "ca-name",
          "ca-ttl",
          "key-type",
          "keylength",
          "named-curve",
          "autosign",
          "allow-duplicate-certs",
          "trusted-oid-mapping-file");

  private KnownKeys() {}

  /** WARNs once for every key of the two sections that no setting reads. */
  static void warnUnknown(Hocon hocon) {
    unknown(hocon, "voxca", VOXCA).forEach(w -> LOG.warn("{}", w));
    unknown(hocon, "certificate-authority", CERTIFICATE_AUTHORITY).forEach(w -> LOG.warn("{}", w));
  }

  /** One line per key under {@code section} that is not in {@code known}. */
  static List<String> unknown(Hocon hocon, String section, Set<String> known) {
    List<String> out = new ArrayList<>();
    for (String key : hocon.leafKeys(section)) {
      if (known.contains(key) || known.contains(key.replace('_', '-'))) {
        continue;
      }
      out.add(
          "Unknown configuration key "
              + section
              + "."
              + key
              + " is ignored; did you mean "
              + section
              + "."
              + nearest(key, known)
              + "?");
    }
    return out;
  }

  private static String nearest(String key, Set<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String k : known.stream().sorted().toList()) {
      int d = distance(key.toLowerCase(Locale.ROOT), k);
      if (d < bestDistance) {
        best = k;
        bestDistance = d;
      }
    }
    return best;
  }

  /** Levenshtein distance. */
  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
