package org.voxca.http;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which client may call which endpoint: an ordered rule list in the shape of Puppet's auth.conf
 * (sort-order, then name; the first rule matching path and method decides; no match is a deny).
 * {@link #defaults()} is Puppet Server's default rule set for the CA and status endpoints, plus
 * the seed's rule that listing all CSRs and deleting one need an admin certificate.
 */
public final class AccessRules {

  /** Who a matching rule lets in. */
  public enum Access {
    UNAUTHENTICATED,
    ANY_AUTHENTICATED,
    CLI_AUTH,
    DENY
  }

  /** One rule: a path prefix or regex, a method set (empty = any), and its access. */
  public record Rule(String name, int sortOrder, String path, boolean regex, Set<String> methods, Access access) {
    boolean matches(String method, String decodedPath) {
      if (!methods.isEmpty() && !methods.contains(method.toLowerCase(Locale.ROOT))) {
        return false;
      }
      return regex ? Pattern.compile(path).matcher(decodedPath).find() : decodedPath.startsWith(path);
    }
  }

  /** The deciding rule (null when none matched) and the verdict. */
  public record Decision(boolean allowed, String ruleName) {}

  private final List<Rule> rules;

  public AccessRules(List<Rule> rules) {
    List<Rule> sorted = new ArrayList<>(rules);
    sorted.sort(Comparator.comparingInt(Rule::sortOrder).thenComparing(Rule::name));
    this.rules = List.copyOf(sorted);
  }

  public Decision decide(String method, String decodedPath, ClientIdentity id) {
    for (Rule r : rules) {
      if (r.matches(method, decodedPath)) {
        boolean ok = switch (r.access()) {
          case UNAUTHENTICATED -> !id.revoked();
          case ANY_AUTHENTICATED -> id.authenticated();
          case CLI_AUTH -> id.cliAuth();
          case DENY -> false;
        };
        return new Decision(ok, r.name());
      }
    }
    return new Decision(false, null);
  }

  public static AccessRules defaults() {
    return new AccessRules(List.of(
        path("puppetlabs certificate", "/puppet-ca/v1/certificate/", Set.of("get"), Access.UNAUTHENTICATED),
        path("puppetlabs crl", "/puppet-ca/v1/certificate_revocation_list/ca", Set.of("get"), Access.UNAUTHENTICATED),
        path("puppetlabs csr", "/puppet-ca/v1/certificate_request", Set.of("get", "put"), Access.UNAUTHENTICATED),
        path("puppetlabs certificate renewal", "/puppet-ca/v1/certificate_renewal", Set.of("post"), Access.ANY_AUTHENTICATED),
        path("puppetlabs cert status", "/puppet-ca/v1/certificate_status", Set.of("get", "put", "delete"), Access.CLI_AUTH),
        new Rule("puppetlabs CRL update", 500, "^/puppet-ca/v1/certificate_revocation_list$", true, Set.of("put"), Access.CLI_AUTH),
        path("puppetlabs cert statuses", "/puppet-ca/v1/certificate_statuses", Set.of("get"), Access.CLI_AUTH),
        path("puppetlabs CA cert and CRL expirations", "/puppet-ca/v1/expirations", Set.of("get"), Access.ANY_AUTHENTICATED),
        path("puppetlabs cert clean", "/puppet-ca/v1/clean", Set.of("put"), Access.CLI_AUTH),
        path("puppetlabs cert sign", "/puppet-ca/v1/sign", Set.of("post"), Access.CLI_AUTH),
        path("puppetlabs cert sign all", "/puppet-ca/v1/sign/all", Set.of("post"), Access.CLI_AUTH),
        path("puppetlabs status service - full", "/status/v1/services", Set.of("get"), Access.UNAUTHENTICATED),
        path("puppetlabs status service - simple", "/status/v1/simple", Set.of("get"), Access.UNAUTHENTICATED),
        // The seed: Search (plural list) and Destroy need more than the csr rule grants.
        new Rule("voxca csr list", 499, "^/puppet-ca/v1/certificate_requests(/|$)", true, Set.of(), Access.CLI_AUTH),
        new Rule("voxca csr delete", 499, "^/puppet-ca/v1/certificate_request(/|$)", true, Set.of("delete"), Access.CLI_AUTH),
        new Rule("puppetlabs deny all", 999, "/", false, Set.of(), Access.DENY)));
  }

  private static Rule path(String name, String prefix, Set<String> methods, Access access) {
    return new Rule(name, 500, prefix, false, methods, access);
  }
}
