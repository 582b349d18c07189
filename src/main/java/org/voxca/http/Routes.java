package org.voxca.http;

import java.util.List;
import org.voxca.ca.CertificateAuthority;

/** THE route table of voxca: every method and path it serves, and the resource that answers. */
final class Routes {
  private static final String PARAM = "{}";
  private static final String TEXT_UTF8 = Exchange.TEXT_UTF8;

  /** The CA API's prefix, without its leading slash (paths are matched segment by segment). */
  static final String CA = "puppet-ca/v1/";

  /**
   * The last segment of a raw-tail route as rules and templates see it: the tail itself (an OCSP
   * GET's base64, which may hold encoded slashes) is passed on raw, still percent-encoded.
   */
  private static final String RAW = "raw";

  private Routes() {}

  /**
   * A method, a path of literal segments where {@code {}} is the one parameter, the content type of
   * the CA's refusals on this route (Puppet answers some as {@code text/plain} without a charset),
   * a handler, and whether the route takes the rest of the raw path as its parameter.
   */
  record Route(
      String method,
      List<String> segments,
      String errorType,
      Endpoint endpoint,
      boolean rawTail,
      String template) {
    /**
     * A route whose template (its path as {@code /puppet-ca/v1/certificate/{name}}) is made once.
     */
    static Route of(
        String method,
        List<String> segments,
        String errorType,
        Endpoint endpoint,
        boolean rawTail) {
      String template =
          "/"
              + String.join("/", segments)
                  .replace(PARAM, "{name}")
                  .replace("/" + RAW, "/{request}");
      return new Route(method, segments, errorType, endpoint, rawTail, template);
    }

    /**
     * For a raw-tail route: the still percent-encoded rest of {@code rawPath} after the route's
     * prefix, or null when the route does not take this request.
     */
    String rawParam(String m, String rawPath) {
      if (!rawTail || !method.equals(m)) {
        return null;
      }
      String prefix = "/" + String.join("/", segments.subList(0, segments.size() - 1)) + "/";
      return rawPath.startsWith(prefix) ? rawPath.substring(prefix.length()) : null;
    }

    /** The path the rules judge a raw-tail request by: the prefix and a placeholder segment. */
    String rulePath() {
      return "/" + String.join("/", segments);
    }

    String match(String m, RequestPath p) {
      if (rawTail || !method.equals(m) || p.segments().size() != segments.size()) {
        return null;
      }
      String param = "";
      for (int i = 0; i < segments.size(); i++) {
        String want = segments.get(i);
        String got = p.segments().get(i);
        if (want.equals(PARAM)) {
          param = got;
        } else if (!want.equals(got)) {
          return null;
        }
      }
      if (p.trailingSlash() && segments.contains(PARAM)) {
        return null;
      }
      return param;
    }
  }

  /** The routes that sign for an agent, and so may be shed under load: submission, renewal. */
  static boolean signs(Route r) {
    String t = r.template();
    return (r.method().equals("PUT") && t.equals("/" + CA + "certificate_request/{name}"))
        || (r.method().equals("POST") && t.equals("/" + CA + "certificate_renewal"));
  }

  /** An agent's CSR submission ({@code PUT certificate_request/<name>}). */
  static boolean submits(Route r) {
    return signs(r) && !renews(r);
  }

  /** The renewal route. */
  static boolean renews(Route r) {
    return r.method().equals("POST") && r.template().equals("/" + CA + "certificate_renewal");
  }

  static List<Route> all(CertificateAuthority ca, Identities identities, Readiness readiness) {
    CertificateResource certs = new CertificateResource(ca);
    CertificateRequestResource csrs = new CertificateRequestResource(ca);
    CertificateStatusResource status = new CertificateStatusResource(ca);
    CertificateStatusesResource statuses = new CertificateStatusesResource(ca);
    SignResource sign = new SignResource(ca);
    CleanResource clean = new CleanResource(ca);
    ExpirationsResource expirations = new ExpirationsResource(ca);
    RenewalResource renewal = new RenewalResource(ca, identities);
    StatusResource service = new StatusResource(readiness);
    CaExtensionResource extension = new CaExtensionResource(ca);
    CaRolloverResource rollover = new CaRolloverResource(ca);
    EnrolmentTokenResource tokens = new EnrolmentTokenResource(ca);
    OcspResource ocsp = new OcspResource(ca);
    String plain = Exchange.TEXT;
    return List.of(
        route("GET", CA + "certificate/{}", certs::certificate),
        route("GET", CA + "certificate_revocation_list/{}", certs::crl),
        route("PUT", CA + "certificate_revocation_list", certs::updateCrls),
        route("GET", CA + "certificate_request/{}", csrs::get),
        route("PUT", CA + "certificate_request/{}", csrs::put),
        route("DELETE", CA + "certificate_request/{}", csrs::delete),
        route("GET", CA + "certificate_request", csrs::noKey),
        route("PUT", CA + "certificate_request", csrs::noKey),
        route("DELETE", CA + "certificate_request", csrs::noKey),
        route("GET", CA + "certificate_requests/{}", csrs::list), // legacy plural list
        route("GET", CA + "certificate_status/{}", status::get),
        route("PUT", CA + "certificate_status/{}", status::put),
        route("DELETE", CA + "certificate_status/{}", plain, status::delete),
        route("GET", CA + "certificate_statuses/{}", statuses::get),
        route("GET", CA + "certificate_statuses", statuses::get),
        route("POST", CA + "sign", sign::sign),
        route("POST", CA + "sign/all", sign::signAll),
        route("PUT", CA + "clean", plain, clean::put),
        route("GET", CA + "expirations", expirations::get),
        route("POST", CA + "certificate_renewal", plain, renewal::post),
        route("POST", "voxca/v1/ca_extension", extension::post),
        route("GET", "voxca/v1/ca_rollover", rollover::get),
        route("POST", "voxca/v1/ca_rollover", rollover::post),
        route("POST", "voxca/v1/enrolment_tokens", tokens::create),
        route("GET", "voxca/v1/enrolment_tokens", tokens::list),
        route("DELETE", "voxca/v1/enrolment_tokens/{}", tokens::revoke),
        route("POST", "voxca/v1/autosign_check", tokens::check),
        route("POST", CA + "ocsp", ocsp::post),
        Route.of("GET", List.of((CA + "ocsp/" + RAW).split("/")), TEXT_UTF8, ocsp::get, true),
        route("GET", "status/v1/simple", (ex, p) -> service.simple(ex, null)),
        route("GET", "status/v1/simple/{}", service::simple),
        route("GET", "status/v1/services", (ex, p) -> service.services(ex, null)),
        route("GET", "status/v1/services/{}", service::services));
  }

  private static Route route(String method, String path, Endpoint e) {
    return route(method, path, TEXT_UTF8, e);
  }

  private static Route route(String method, String path, String errorType, Endpoint e) {
    return Route.of(method, List.of(path.split("/")), errorType, e, false);
  }
}
