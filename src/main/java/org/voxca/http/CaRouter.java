package org.voxca.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voxca.ca.CaException;
import org.voxca.ca.CertificateAuthority;
import org.voxca.ca.RateLimitedLog;

/**
 * THE route table of voxca, and the request pipeline in Puppet Server's order: normalise the path
 * (400), establish the identity (400 on bad headers), authorise (403), route (404), handle. Every
 * expected failure is a plain-text answer; only a bug is a 500, and its body never holds more than
 * the exception's one-line text.
 */
public final class CaRouter extends Handler.Abstract {
  private static final Logger LOG = LoggerFactory.getLogger(CaRouter.class);
  private static final String PARAM = "{}";

  /** The CA API's prefix, without its leading slash (paths are matched segment by segment). */
  static final String CA = "puppet-ca/v1/";

  /** Every Puppet Server answer names its version; clients such as the newest CLI read it. */
  static final String PUPPET_VERSION = "X-Puppet-Version";

  /**
   * A method, a path of literal segments where {@code {}} is the one parameter, the content type of
   * the CA's refusals on this route (Puppet answers some as {@code text/plain} without a charset),
   * and a handler.
   */
  record Route(String method, List<String> segments, String errorType, Endpoint endpoint) {
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
  private final HttpLimits limits;
  private final RateLimitedLog refusals = new RateLimitedLog(LOG);
  private final RateLimitedLog.Budget errors = new RateLimitedLog.Budget(5);

  public CaRouter(
      CertificateAuthority ca, AccessRules rules, Identities identities, HttpLimits limits) {
    this.rules = rules;
    this.identities = identities;
    this.limits = limits;
    this.routes = routes(ca, identities);
  }

  static List<Route> routes(CertificateAuthority ca, Identities identities) {
    CertificateResource certs = new CertificateResource(ca);
    CertificateRequestResource csrs = new CertificateRequestResource(ca);
    CertificateStatusResource status = new CertificateStatusResource(ca);
    CertificateStatusesResource statuses = new CertificateStatusesResource(ca);
    SignResource sign = new SignResource(ca);
    CleanResource clean = new CleanResource(ca);
    ExpirationsResource expirations = new ExpirationsResource(ca);
    RenewalResource renewal = new RenewalResource(ca, identities);
    StatusResource service = new StatusResource();
    CaExtensionResource extension = new CaExtensionResource(ca);
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
        route("GET", CA + "certificate_requests/{}", csrs::list), // legacy (seed)
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
        route("GET", "status/v1/simple", (ex, p) -> service.simple(ex, null)),
        route("GET", "status/v1/simple/{}", service::simple),
        route("GET", "status/v1/services", (ex, p) -> service.services(ex, null)),
        route("GET", "status/v1/services/{}", service::services));
  }

  private static Route route(String method, String path, Endpoint e) {
    return route(method, path, Exchange.TEXT_UTF8, e);
  }

  private static Route route(String method, String path, String errorType, Endpoint e) {
    return new Route(method, List.of(path.split("/")), errorType, e);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    response.getHeaders().put(PUPPET_VERSION, StatusResource.CA_API_VERSION);
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
    Exchange ex = new Exchange(request, response, callback, path, query(request), id);
    AccessRules.Decision d = rules.decide(method, path.decoded(), ex.query, id);
    if (!d.allowed()) {
      refusals.log(
          "Forbidden request: {} {} by {} (rule: {})",
          method,
          path.decoded(),
          id,
          d.ruleName() == null ? "no rule matched" : d.ruleName());
      String body =
          d.ruleName() == null
              ? "global deny all - no rules matched"
              : "Forbidden request: "
                  + path.decoded()
                  + " (method :"
                  + method.toLowerCase(Locale.ROOT)
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

  /**
   * Runs the route; a PUT or POST first has its body read without holding a thread, within the body
   * deadline (408 past it), capped in size (413).
   */
  private void dispatch(Exchange ex, Route r, String param) {
    ex.errorType = r.errorType();
    if (!r.method().equals("PUT") && !r.method().equals("POST")) {
      run(ex, r, param);
      return;
    }
    if (ex.request.getLength() > limits.drainBytes()) {
      ex.closeAfter();
      ex.text(
          413, Exchange.TEXT_UTF8, "Request body is larger than " + limits.maxBody() + " bytes");
      return;
    }
    BodyReader.read(ex.request, limits.maxBody(), limits.drainBytes())
        .orTimeout(limits.bodyTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete(
            (body, failure) -> {
              if (failure != null) {
                badBody(ex, failure);
              } else if (body.tooLarge()) {
                if (!body.drained()) {
                  ex.closeAfter();
                }
                ex.text(
                    413,
                    Exchange.TEXT_UTF8,
                    "Request body is larger than " + limits.maxBody() + " bytes");
              } else {
                ex.setBody(body.bytes());
                run(ex, r, param);
              }
            });
  }

  /** A body that never arrived whole: 408 past the deadline, 400 when the client broke it off. */
  private void badBody(Exchange ex, Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    ex.closeAfter();
    if (cause instanceof TimeoutException) {
      refusals.log(
          "Request body of {} {} from {} not received within {}",
          ex.method(),
          ex.path.decoded(),
          ex.identity,
          limits.bodyTimeout());
      ex.text(
          408,
          Exchange.TEXT_UTF8,
          "Request body not received within " + limits.bodyTimeout().toSeconds() + " seconds");
      return;
    }
    refusals.log(
        "Could not read the request body of {} {} from {}: {}",
        ex.method(),
        ex.path.decoded(),
        ex.identity,
        String.valueOf(cause.getMessage()).replaceAll("\\s+", " "));
    ex.text(400, Exchange.TEXT_UTF8, "Could not read the request body");
  }

  private void run(Exchange ex, Route r, String param) {
    try {
      r.endpoint().handle(ex, param);
    } catch (CaException e) {
      HttpErrors.send(ex, e);
    } catch (Identities.BadHeader e) {
      ex.text(400, Exchange.TEXT_UTF8, e.getMessage());
    } catch (Exception e) {
      if (errors.allow()) {
        LOG.error("Internal error on {} {}", ex.method(), ex.path.decoded(), e);
      }
      if (!ex.done()) {
        ex.text(500, Exchange.TEXT_UTF8, "Internal Server Error: " + e.getClass().getSimpleName());
      }
    }
  }

  private static Map<String, List<String>> query(Request request) {
    if (request.getHttpURI().getQuery() == null) {
      return Map.of();
    }
    Map<String, List<String>> out = new HashMap<>();
    try {
      for (Fields.Field f : Request.extractQueryParameters(request)) {
        out.put(f.getName(), f.getValues());
      }
    } catch (RuntimeException e) {
      return Map.of(); // undecodable query: no parameter can match a query-params rule
    }
    return out;
  }

  private static void plain(
      Request request, Response response, Callback callback, int status, String msg) {
    response.setStatus(status);
    response.getHeaders().put("Content-Type", Exchange.TEXT_UTF8);
    response.write(true, ByteBuffer.wrap(msg.getBytes(StandardCharsets.UTF_8)), callback);
  }
}
