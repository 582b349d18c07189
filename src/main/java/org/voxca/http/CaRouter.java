package org.voxca.http;

import java.util.List;
import java.util.Locale;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voxca.ca.CaException;
import org.voxca.ca.CertificateAuthority;

/**
 * THE route table of voxca, and the request pipeline in Puppet Server's order: normalise the
 * path (400), establish the identity (400 on bad headers), authorise (403), route (404), handle.
 * Every expected failure is a plain-text answer; only a bug is a 500, and its body never holds
 * more than the exception's one-line text.
 */
public final class CaRouter extends Handler.Abstract {
  private static final Logger LOG = LoggerFactory.getLogger(CaRouter.class);
  private static final String PARAM = "{}";

  /** A method, a path of literal segments where {@code {}} is the one parameter, a handler. */
  record Route(String method, List<String> segments, Endpoint endpoint) {
    String match(String m, RequestPath p) {
      if (!method.equals(m) || p.segments().size() != segments.size()) {
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

  private final List<Route> routes;
  private final AccessRules rules;
  private final Identities identities;
  private final long maxBody;

  public CaRouter(CertificateAuthority ca, AccessRules rules, Identities identities, long maxBody) {
    this.rules = rules;
    this.identities = identities;
    this.maxBody = maxBody;
    this.routes = routes(ca, identities);
  }

  static List<Route> routes(CertificateAuthority ca, Identities identities) {
    CertificateEndpoints certs = new CertificateEndpoints(ca);
    CertificateRequestEndpoints csrs = new CertificateRequestEndpoints(ca);
    CertificateStatusEndpoints statuses = new CertificateStatusEndpoints(ca);
    StatusEndpoints status = new StatusEndpoints();
    RenewalEndpoint renewal = new RenewalEndpoint(ca, identities);
    AdminEndpoints admin = new AdminEndpoints(ca);
    return List.of(
        route("GET", "puppet-ca/v1/certificate/{}", certs::certificate),
        route("GET", "puppet-ca/v1/certificate_revocation_list/{}", certs::crl),
        route("PUT", "puppet-ca/v1/certificate_revocation_list", certs::updateCrls),
        route("GET", "puppet-ca/v1/certificate_request/{}", csrs::get),
        route("PUT", "puppet-ca/v1/certificate_request/{}", csrs::put),
        route("DELETE", "puppet-ca/v1/certificate_request/{}", csrs::delete),
        route("GET", "puppet-ca/v1/certificate_request", csrs::noKey),
        route("PUT", "puppet-ca/v1/certificate_request", csrs::noKey),
        route("DELETE", "puppet-ca/v1/certificate_request", csrs::noKey),
        route("GET", "puppet-ca/v1/certificate_requests/{}", csrs::list), // legacy (seed)
        route("PUT", "puppet-ca/v1/certificate_status/{}", statuses::put),
        route("GET", "puppet-ca/v1/certificate_status/{}", admin::status),
        route("DELETE", "puppet-ca/v1/certificate_status/{}", admin::delete),
        route("GET", "puppet-ca/v1/certificate_statuses/{}", admin::statuses),
        route("GET", "puppet-ca/v1/certificate_statuses", admin::statuses),
        route("POST", "puppet-ca/v1/sign", admin::sign),
        route("POST", "puppet-ca/v1/sign/all", admin::signAll),
        route("PUT", "puppet-ca/v1/clean", admin::clean),
        route("GET", "puppet-ca/v1/expirations", admin::expirations),
        route("POST", "puppet-ca/v1/certificate_renewal", renewal::post),
        route("GET", "status/v1/simple", (ex, p) -> status.simple(ex, null)),
        route("GET", "status/v1/simple/{}", status::simple),
        route("GET", "status/v1/services", (ex, p) -> status.services(ex, null)),
        route("GET", "status/v1/services/{}", status::services));
  }

  private static Route route(String method, String path, Endpoint e) {
    return new Route(method, List.of(path.split("/")), e);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String method = request.getMethod().toUpperCase(Locale.ROOT);
    RequestPath path;
    try {
      path = RequestPath.parse(request.getHttpURI().getPath());
    } catch (RequestPath.BadPath e) {
      plain(request, response, callback, 400, e.getMessage());
      return true;
    }
    ClientIdentity id;
    try {
      id = identities.identify(request);
    } catch (Identities.BadHeader e) {
      plain(request, response, callback, 400, e.getMessage());
      return true;
    }
    Exchange ex = new Exchange(request, response, callback, path, query(request), id, maxBody);
    AccessRules.Decision d = rules.decide(method, path.decoded(), ex.query, id);
    if (!d.allowed()) {
      LOG.warn("Forbidden request: {} {} by {} (rule: {})", method, path.decoded(), id,
          d.ruleName() == null ? "no rule matched" : d.ruleName());
      String body = d.ruleName() == null ? "global deny all - no rules matched"
          : "Forbidden request: " + path.decoded() + " (method :" + method.toLowerCase(Locale.ROOT)
              + "). Please see the server logs for details.";
      ex.text(403, Exchange.TEXT_UTF8, body);
      return true;
    }
    for (Route r : routes) {
      String param = r.match(method, path);
      if (param != null) {
        dispatch(ex, r, param.isEmpty() ? null : param);
        return true;
      }
    }
    ex.text(404, "text/html; charset=utf-8", "Not Found");
    return true;
  }

  private void dispatch(Exchange ex, Route r, String param) {
    try {
      r.endpoint().handle(ex, param);
    } catch (CaException e) {
      HttpErrors.send(ex, e);
    } catch (Identities.BadHeader e) {
      ex.text(400, Exchange.TEXT_UTF8, e.getMessage());
    } catch (Exchange.TooLarge e) {
      ex.text(413, Exchange.TEXT_UTF8, e.getMessage());
    } catch (Exception e) {
      LOG.error("Internal error on {} {}", ex.method(), ex.path.decoded(), e);
      if (!ex.done()) {
        ex.text(500, Exchange.TEXT_UTF8, "Internal Server Error: " + e.getClass().getSimpleName());
      }
    }
  }

  private static java.util.Map<String, List<String>> query(Request request) {
    if (request.getHttpURI().getQuery() == null) {
      return java.util.Map.of();
    }
    java.util.Map<String, List<String>> out = new java.util.HashMap<>();
    try {
      for (org.eclipse.jetty.util.Fields.Field f : Request.extractQueryParameters(request)) {
        out.put(f.getName(), f.getValues());
      }
    } catch (RuntimeException e) {
      return java.util.Map.of(); // undecodable query: no parameter can match a query-params rule
    }
    return out;
  }

  private static void plain(Request request, Response response, Callback callback, int status, String msg) {
    response.setStatus(status);
    response.getHeaders().put("Content-Type", Exchange.TEXT_UTF8);
    response.write(true, java.nio.ByteBuffer.wrap(msg.getBytes(java.nio.charset.StandardCharsets.UTF_8)), callback);
  }
}
