package org.voxca.http;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.voxca.pki.PuppetOids;

/**
 * Who may call what: Puppet's auth.conf rules, ordered by sort-order then name; the first rule
 * whose path, method and query parameters match decides (deny beats allow inside it); no match is a
 * deny. {@link #defaults()} is Puppet Server's default rule set for the CA and status endpoints,
 * plus voxca's rule that listing all CSRs and deleting one need an admin certificate.
 */
public final class AccessRules {

  /** The deciding rule (null when none matched) and the verdict. */
  public record Decision(boolean allowed, String ruleName) {}

  private final List<AuthRule> rules;

  AccessRules(List<AuthRule> rules) {
    List<AuthRule> sorted = new ArrayList<>(rules);
    sorted.sort(Comparator.comparingInt(AuthRule::sortOrder).thenComparing(AuthRule::name));
    this.rules = List.copyOf(sorted);
  }

  /** Rules from an auth.conf's {@code authorization.rules}; see {@link AuthConf#parse}. */
  public static AccessRules fromAuthConf(
      List<Map<String, Object>> rules, Map<String, String> extraShortNames) {
    return new AccessRules(AuthConf.parse(rules, extraShortNames));
  }

  public Decision decide(
      String method, String decodedPath, Map<String, List<String>> query, ClientIdentity id) {
    String lower = method.toLowerCase(Locale.ROOT);
    for (AuthRule r : rules) {
      List<String> captures = r.match(lower, decodedPath, query);
      if (captures != null) {
        return new Decision(r.permits(id, captures), r.name());
      }
    }
    return new Decision(false, null);
  }

  public static AccessRules defaults() {
    List<AuthRule.Principal> any = List.of(new AuthRule.Name("*"));
    List<AuthRule.Principal> cli =
        List.of(new AuthRule.Extensions(Map.of(PuppetOids.PP_CLI_AUTH.getId(), List.of("true"))));
    return new AccessRules(
        List.of(
            open("puppetlabs certificate", "/puppet-ca/v1/certificate/", Set.of("get")),
            open("puppetlabs crl", "/puppet-ca/v1/certificate_revocation_list/ca", Set.of("get")),
            open("puppetlabs csr", "/puppet-ca/v1/certificate_request", Set.of("get", "put")),
            rule(
                "puppetlabs certificate renewal",
                500,
                "/puppet-ca/v1/certificate_renewal",
                null,
                Set.of("post"),
                any),
            rule(
                "puppetlabs cert status",
                500,
                "/puppet-ca/v1/certificate_status",
                null,
                Set.of("get", "put", "delete"),
                cli),
            rule(
                "puppetlabs CRL update",
                500,
                null,
                "^/puppet-ca/v1/certificate_revocation_list$",
                Set.of("put"),
                cli),
            rule(
                "puppetlabs cert statuses",
                500,
                "/puppet-ca/v1/certificate_statuses",
                null,
                Set.of("get"),
                cli),
            rule(
                "puppetlabs CA cert and CRL expirations",
                500,
                "/puppet-ca/v1/expirations",
                null,
                Set.of("get"),
                any),
            rule("puppetlabs cert clean", 500, "/puppet-ca/v1/clean", null, Set.of("put"), cli),
            rule("voxca CA extension", 500, "/voxca/v1/ca_extension", null, Set.of("post"), cli),
            rule(
                "voxca CA rollover",
                500,
                "/voxca/v1/ca_rollover",
                null,
                Set.of("get", "post"),
                cli),
            rule(
                "voxca enrolment tokens",
                500,
                "/voxca/v1/enrolment_tokens",
                null,
                Set.of("get", "post", "delete"),
                cli),
            rule("voxca console", 500, "/console", null, Set.of("get", "post"), cli),
            rule("voxca console links", 500, "/voxca/v1/console_links", null, Set.of("post"), cli),
            rule(
                "voxca autosign check", 500, "/voxca/v1/autosign_check", null, Set.of("post"), cli),
            rule("puppetlabs cert sign", 500, "/puppet-ca/v1/sign", null, Set.of("post"), cli),
            rule(
                "puppetlabs cert sign all",
                500,
                "/puppet-ca/v1/sign/all",
                null,
                Set.of("post"),
                cli),
            open("voxca ocsp", "/puppet-ca/v1/ocsp", Set.of("get", "post")),
            open("puppetlabs status service - full", "/status/v1/services", Set.of("get")),
            open("puppetlabs status service - simple", "/status/v1/simple", Set.of("get")),
            // Listing every CSR and deleting one need more than the csr rule grants.
            rule(
                "voxca csr list",
                499,
                null,
                "^/puppet-ca/v1/certificate_requests(/|$)",
                Set.of("get"),
                cli),
            rule(
                "voxca csr delete",
                499,
                null,
                "^/puppet-ca/v1/certificate_request(/|$)",
                Set.of("delete"),
                cli),
            new AuthRule(
                "puppetlabs deny all", 999, "/", null, Set.of(), Map.of(), false, List.of(), any)));
  }

  private static AuthRule open(String name, String prefix, Set<String> methods) {
    return new AuthRule(name, 500, prefix, null, methods, Map.of(), true, List.of(), List.of());
  }

  private static AuthRule rule(
      String name,
      int order,
      String prefix,
      String regex,
      Set<String> methods,
      List<AuthRule.Principal> allow) {
    return new AuthRule(
        name,
        order,
        prefix,
        regex == null ? null : Pattern.compile(regex),
        methods,
        Map.of(),
        false,
        allow,
        List.of());
  }
}
