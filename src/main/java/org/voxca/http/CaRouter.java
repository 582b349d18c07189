package org.voxca.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voxca.ca.Actor;
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

  /** The request attribute that names the authenticated client, for the access log. */
  public static final String CERTNAME_ATTRIBUTE = "voxca.certname";

  /**
   * The request attribute naming the matched route as a template ({@code
   * /puppet-ca/v1/certificate/{name}}), {@code unmatched} otherwise: a label of bounded cardinality
   * for the request metrics.
   */
  public static final String ROUTE_ATTRIBUTE = "voxca.route";

  /** Every Puppet Server answer names its version; clients such as the newest CLI read it. */
  static final String PUPPET_VERSION = "X-Puppet-Version";

  /** Sets the header every Puppet Server answer carries, for a handler in front of the router. */
  public static void versionHeader(Response response) {
    response.getHeaders().put(PUPPET_VERSION, StatusResource.CA_API_VERSION);
  }

  private final List<Routes.Route> routes;
  private final AccessRules rules;
  private final CertificateAuthority ca;
  private final Identities identities;
  private final BodyGate bodies;
  private final SigningAdmission admission;
  private final SubmissionRate submissions;

  private final RateLimitedLog refusals = new RateLimitedLog(LOG);
  private final RateLimitedLog.Budget errors = new RateLimitedLog.Budget(5);

  public CaRouter(
      CertificateAuthority ca,
      AccessRules rules,
      Identities identities,
      HttpLimits limits,
      Readiness readiness) {
    this.rules = rules;
    this.identities = identities;
    this.bodies = new BodyGate(limits, refusals);
    this.admission =
        new SigningAdmission(limits.shedAfter(), Runtime.getRuntime().availableProcessors());
    this.submissions = new SubmissionRate(limits.submissionsPerAddress());
    this.routes = Routes.all(ca, identities, readiness);
    this.ca = ca;
  }

  /** Submissions and renewals shed since the server started ({@link SigningAdmission}). */
  public long shedCount() {
    return admission.shedCount();
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    versionHeader(response);
    String method = request.getMethod().toUpperCase(Locale.ROOT);
    RequestPath path;
    String raw = request.getHttpURI().getPath();
    Routes.Route matched = null;
    String matchedParam = null;
    for (Routes.Route r : routes) {
      matchedParam = r.rawParam(method, raw);
      if (matchedParam != null) {
        matched = r;
        break;
      }
    }
    try {
      path = RequestPath.parse(matched != null ? matched.rulePath() : raw);
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
    if (id.authenticated()) {
      request.setAttribute(CERTNAME_ATTRIBUTE, id.certname());
    }
    for (int i = 0; matched == null && i < routes.size(); i++) {
      matchedParam = routes.get(i).match(method, path);
      matched = matchedParam != null ? routes.get(i) : null;
    }
    request.setAttribute(ROUTE_ATTRIBUTE, matched == null ? "unmatched" : matched.template());
    Exchange ex = new Exchange(request, response, callback, path, query(request), id);
    if (id.rejected() != null && matched != null && Routes.renews(matched)) {
      // a renewal for a header certificate verification refused gets the CA's own
      // answer (403 "Certificate present, but does not match signature" for another CA's), not
      // auth.conf's; nothing is signed
      try {
        ca.refuseRenewal(id.rejected());
      } catch (CaException e) {
        HttpErrors.send(ex, e);
        return true;
      }
    }
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
    if (matched == null) {
      ex.text(404, "text/html; charset=utf-8", "Not Found");
      return true;
    }
    dispatch(ex, matched, matchedParam.isEmpty() && !matched.rawTail() ? null : matchedParam);
    return true;
  }

  /** Runs the route; a PUT or POST once its body is read ({@link BodyGate}). */
  private void dispatch(Exchange ex, Routes.Route r, String param) {
    ex.errorType = r.errorType();
    if (Routes.submits(r)) {
      String address = Request.getRemoteAddr(ex.request);
      int wait = submissions.admit(address, System.nanoTime());
      if (wait > 0) {
        refusals.log("Refused a certificate request from {}: over its submission rate", address);
        ex.closeAfter();
        ex.unavailable(
            wait,
            Exchange.TEXT_UTF8,
            "Too many certificate requests from " + address + "; retry after " + wait + " seconds");
        return;
      }
    }
    if (!r.method().equals("PUT") && !r.method().equals("POST")) {
      run(ex, r, param);
    } else {
      bodies.read(ex, () -> run(ex, r, param));
    }
  }

  private void run(Exchange ex, Routes.Route r, String param) {
    SigningAdmission.Ticket ticket = Routes.signs(r) ? admission.admit() : null;
    if (ticket instanceof SigningAdmission.Shed shed) {
      refusals.log(
          "Shed {} {}: {} signing requests in flight",
          ex.method(),
          ex.path.decoded(),
          shed.queued());
      ex.unavailable(
          shed.retryAfterSeconds(),
          Exchange.TEXT_UTF8,
          "The CA is busy signing "
              + shed.queued()
              + " requests; retry after "
              + shed.retryAfterSeconds()
              + " seconds");
      return;
    }
    try {
      handle(ex, r, param);
    } finally {
      if (ticket instanceof SigningAdmission.Admitted admitted) {
        admitted.close();
      }
    }
  }

  private void handle(Exchange ex, Routes.Route r, String param) {
    String actor =
        ex.identity.authenticated()
            ? ex.identity.certname()
            : "anonymous@" + Request.getRemoteAddr(ex.request);
    try (Actor.Scope scope = Actor.enter(actor)) {
      r.endpoint().handle(ex, param);
    } catch (CaException e) {
      HttpErrors.send(ex, e);
    } catch (Identities.BadHeader e) {
      ex.text(400, Exchange.TEXT_UTF8, e.getMessage());
    } catch (java.io.UncheckedIOException e) {
      // the store's failure contract: it did not answer (database down, disk failing) and changed
      // nothing (docs/architecture.md, "The store contract"); agents retry
      refusals.log(
          "Storage unavailable on {} {}: {}", ex.method(), ex.path.decoded(), e.getMessage());
      if (!ex.done()) {
        ex.unavailable(
            Exchange.RETRY_SECONDS,
            Exchange.TEXT_UTF8,
            "The CA's storage is unavailable; retry later");
      }
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
