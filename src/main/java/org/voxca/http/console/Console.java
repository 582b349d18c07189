package org.voxca.http.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
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
import org.voxca.http.AccessRules;
import org.voxca.http.CaRouter;
import org.voxca.http.ClientIdentity;
import org.voxca.http.HttpErrors;
import org.voxca.http.Identities;
import org.voxca.pki.PkiException;

/**
 * The operator console under {@code /console/}: server-rendered pages with no script, in front of
 * the CA API's router (every other path goes on to it).
 *
 * <p>Who may use it is auth.conf's answer for the path {@code /console}: by default the {@code
 * pp_cli_auth} certificate. An admin comes with that certificate, or with a one-time link it asked
 * for ({@code POST /voxca/v1/console_links}, {@code voxca ca console-link}); either way the browser
 * then holds a session cookie ({@code __Host-}, HttpOnly, Secure, SameSite=Strict, expiring), and
 * every request is judged again by auth.conf with the admin's identity, its certificate checked
 * against the CRL each time. Every form that changes something carries the session's CSRF token.
 */
public final class Console extends Handler.Wrapper {
  private static final Logger LOG = LoggerFactory.getLogger(Console.class);
  static final String COOKIE = "__Host-voxca_console";
  static final String LINKS = "/voxca/v1/console_links";

  /** The API operations the console adds beside the router's routes (for the API document). */
  public static final java.util.List<String> API = java.util.List.of("POST " + LINKS);

  private static final String CSP =
      "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self';"
          + " frame-ancestors 'none'; base-uri 'none'";
  private static final int MAX_FORM_BYTES = 256 * 1024;

  /** A login form holds one token: anyone may send one, so it is read up to 1 KiB only. */
  private static final int LOGIN_FORM_BYTES = 1024;

  private final CertificateAuthority ca;
  private final AccessRules rules;
  private final Identities identities;
  private final Sessions sessions;
  private final Pages pages;
  private final RateLimitedLog refusals = new RateLimitedLog(LOG);
  private final byte[] css;

  public Console(
      Handler next,
      CertificateAuthority ca,
      AccessRules rules,
      Identities identities,
      Sources sources,
      Clock clock) {
    super(next);
    this.ca = ca;
    this.rules = rules;
    this.identities = identities;
    this.sessions = new Sessions(clock);
    this.pages = new Pages(ca, sources, clock);
    this.css = resource("console.css");
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String path = request.getHttpURI().getPath();
    if (path.equals(LINKS)) {
      CaRouter.versionHeader(response);
      return links(request, response, callback);
    }
    if (!path.equals("/console") && !path.startsWith("/console/")) {
      return super.handle(request, response, callback);
    }
    headers(response);
    String method = request.getMethod().toUpperCase(Locale.ROOT);
    try {
      if (path.equals("/console")) {
        redirect(response, callback, "/console/");
      } else if (path.equals("/console/static/console.css") && method.equals("GET")) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/css; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "max-age=3600");
        send(response, callback, 200, css);
      } else if (path.equals("/console/login")) {
        login(request, response, callback, method);
      } else {
        page(request, response, callback, method, path);
      }
    } catch (Refused r) {
      html(response, callback, r.status, Pages.message(r.title, r.getMessage()));
    } catch (CaException e) {
      html(response, callback, HttpErrors.status(e), Pages.message("Refused", e.getMessage()));
    } catch (PkiException e) {
      html(response, callback, 400, Pages.message("Unreadable", e.getMessage()));
    } catch (Identities.BadHeader e) {
      html(response, callback, 400, Pages.message("Bad request", e.getMessage()));
    } catch (UncheckedIOException e) {
      response.getHeaders().put(HttpHeader.RETRY_AFTER, "10");
      html(
          response, callback, 503, Pages.message("Unavailable", "The CA's storage is unavailable"));
    }
    return true;
  }

  /** {@code POST /voxca/v1/console_links}: a one-time login link, for an admin certificate. */
  private boolean links(Request request, Response response, Callback callback) throws Exception {
    ClientIdentity id;
    try {
      id = identities.identify(request);
    } catch (Identities.BadHeader e) {
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
      send(response, callback, 400, e.getMessage().getBytes(StandardCharsets.UTF_8));
      return true;
    }
    String method = request.getMethod().toUpperCase(Locale.ROOT);
    if (!method.equals("POST")) {
      return super.handle(request, response, callback); // the router answers as for any path
    }
    if (!id.authenticated() || !rules.decide(method, LINKS, Map.of(), id).allowed()) {
      refusals.log("Refused a console link to {}", id);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
      send(
          response,
          callback,
          403,
          ("Forbidden request: "
                  + LINKS
                  + " (method :post). Please see the server logs for details.")
              .getBytes(StandardCharsets.UTF_8));
      return true;
    }
    Sessions.NewLink link;
    try {
      link = sessions.newLink(id);
    } catch (IllegalStateException full) {
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
      response
          .getHeaders()
          .put(HttpHeader.RETRY_AFTER, Long.toString(Sessions.LINK_LIFE.toSeconds()));
      send(response, callback, 429, full.getMessage().getBytes(StandardCharsets.UTF_8));
      return true;
    }
    var uri = request.getHttpURI();
    // the address the admin's client used (brackets kept for IPv6), with the port it used
    String host =
        uri.getHost().contains(":") && !uri.getHost().startsWith("[")
            ? "[" + uri.getHost() + "]"
            : uri.getHost();
    String url =
        "https://"
            + host
            + ":"
            + Request.getServerPort(request)
            + "/console/login?token="
            + link.secret();
    try (Actor.Scope scope = Actor.enter(id.certname())) {
      LOG.info("Console login link issued to {}", id);
    }
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    send(
        response,
        callback,
        200,
        ("{\"url\":\"" + url + "\",\"expires\":\"" + link.expires() + "\"}")
            .getBytes(StandardCharsets.UTF_8));
    return true;
  }

  /** GET shows the link's button (a link preview must not spend it); POST redeems it. */
  private void login(Request request, Response response, Callback callback, String method)
      throws Refused {
    if (method.equals("GET")) {
      String token = Forms.first(Request.extractQueryParameters(request), "token");
      html(response, callback, 200, Pages.login(token));
      return;
    }
    if (!method.equals("POST")) {
      throw new Refused(405, "Not allowed", "Use the login link's button.");
    }
    Fields form = form(request, LOGIN_FORM_BYTES);
    Optional<Sessions.Session> s = sessions.redeem(Forms.first(form, "token"));
    if (s.isEmpty()) {
      refusals.log(
          "Refused a console login from {}: unknown, used or expired link",
          Request.getRemoteAddr(request));
      throw new Refused(
          403, "Link refused", "This login link is unknown, used or expired. Ask for a new one.");
    }
    LOG.info("Console session opened for {} with a login link", s.get().identity);
    audit(s.get(), "opened by link from " + Request.getRemoteAddr(request));
    setCookie(response, s.get().id, (int) Sessions.SESSION_LIFE.toSeconds());
    redirect(response, callback, "/console/");
  }

  private void page(
      Request request, Response response, Callback callback, String method, String path)
      throws Exception {
    Sessions.Session session = session(request, response, method, path);
    if (method.equals("POST")) {
      Fields form = form(request);
      if (!Sessions.same(session.csrf, Forms.first(form, "csrf")) || !sameOrigin(request)) {
        refusals.log(
            "Refused a console {} {} by {}: missing or wrong CSRF token",
            method,
            path,
            session.identity);
        throw new Refused(403, "Forbidden", "Missing or wrong CSRF token; reload the page.");
      }
      if (path.equals("/console/logout")) {
        sessions.close(session.id);
        audit(session, "closed");
        setCookie(response, "", 0);
        html(response, callback, 200, Pages.message("Logged out", "The session is closed."));
        return;
      }
      String to;
      try (Actor.Scope scope = Actor.enter(session.actor())) {
        to = pages.act(path, form, session);
      }
      redirect(response, callback, to);
      return;
    }
    if (!method.equals("GET")) {
      throw new Refused(405, "Not allowed", method + " is not used by the console.");
    }
    Fields query = Request.extractQueryParameters(request);
    String body = pages.render(path, query, session);
    if (body == null) {
      throw new Refused(404, "Not found", "No console page at " + path);
    }
    html(response, callback, 200, body);
  }

  /**
   * The session this request belongs to: its cookie's, else a new one for an admin certificate.
   * Each request is judged again by auth.conf with the session's identity.
   */
  private Sessions.Session session(Request request, Response response, String method, String path)
      throws Refused, Identities.BadHeader {
    Sessions.Session s = sessions.find(cookie(request)).orElse(null);
    if (s != null
        && s.identity.certificate() != null
        && ca.isRevoked(s.identity.certificate().getSerialNumber())) {
      sessions.close(s.id);
      s = null;
    }
    ClientIdentity id = s != null ? s.identity : identities.identify(request);
    if (!id.authenticated()) {
      throw new Refused(
          401,
          "Log in",
          "The console needs an admin certificate, or a login link: run `voxca ca console-link`"
              + " on the CA host.");
    }
    if (!rules.decide(method, "/console", Map.of(), id).allowed()) {
      refusals.log("Refused console {} {} by {}", method, path, id);
      throw new Refused(403, "Forbidden", "The console is for the CA's admins only.");
    }
    if (s == null) {
      if (method.equals("POST")) {
        throw new Refused(403, "Forbidden", "Missing or wrong CSRF token; reload the page.");
      }
      s = sessions.openForCertificate(id);
      audit(s, "opened by certificate from " + Request.getRemoteAddr(request));
      setCookie(response, s.id, (int) Sessions.SESSION_LIFE.toSeconds());
    }
    return s;
  }

  /** A session's opening or end, in the audit trail under its admin's console name. */
  private void audit(Sessions.Session s, String outcome) {
    try (Actor.Scope scope = Actor.enter(s.actor())) {
      ca.consoleSession(s.identity.certname(), outcome);
    }
  }

  private static boolean sameOrigin(Request request) {
    String origin = request.getHeaders().get(HttpHeader.ORIGIN);
    if (origin == null) {
      return true;
    }
    var uri = request.getHttpURI();
    return origin.equals("https://" + uri.getAuthority());
  }

  private static String cookie(Request request) {
    for (HttpCookie c : Request.getCookies(request)) {
      if (c.getName().equals(COOKIE)) {
        return c.getValue();
      }
    }
    return null;
  }

  private static void setCookie(Response response, String value, int maxAge) {
    response
        .getHeaders()
        .add(
            HttpHeader.SET_COOKIE,
            COOKIE
                + "="
                + value
                + "; Path=/; Max-Age="
                + maxAge
                + "; Secure; HttpOnly; SameSite=Strict");
  }

  private static Fields form(Request request) throws Refused {
    return form(request, MAX_FORM_BYTES);
  }

  /** The form of a POST, read only once the sender is known to be an admin (login aside). */
  private static Fields form(Request request, int maxBytes) throws Refused {
    try {
      return org.eclipse.jetty.server.FormFields.getFields(request, 1000, maxBytes);
    } catch (RuntimeException e) {
      throw new Refused(400, "Bad form", "The form could not be read: " + e.getMessage());
    }
  }

  private static void headers(Response response) {
    var h = response.getHeaders();
    h.put("Content-Security-Policy", CSP);
    h.put("X-Content-Type-Options", "nosniff");
    h.put("X-Frame-Options", "DENY");
    h.put("Referrer-Policy", "same-origin");
    h.put(HttpHeader.CACHE_CONTROL, "no-store");
  }

  private static void redirect(Response response, Callback callback, String to) {
    response.getHeaders().put(HttpHeader.LOCATION, to);
    send(response, callback, 303, new byte[0]);
  }

  private static void html(Response response, Callback callback, int status, String body) {
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/html; charset=utf-8");
    send(response, callback, status, body.getBytes(StandardCharsets.UTF_8));
  }

  private static void send(Response response, Callback callback, int status, byte[] body) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  private static byte[] resource(String name) {
    try (InputStream in = Console.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing console resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
