package org.voxca.http.console;

import java.time.Clock;
import java.time.Instant;
import org.eclipse.jetty.util.Fields;
import org.voxca.ca.CertificateAuthority;

/**
 * The console's pages by path: what each GET renders and what each POST does, returning where the
 * browser goes next. Only the paths listed here exist; every name a page takes comes as a query or
 * form field and is checked by the CA's naming rules, never used as a path.
 */
final class Pages {
  private final CertificateAuthority ca;
  private final Sources sources;
  private final Clock clock;
  private final RequestsPage requests;
  private final CertificatesPage certificates;

  Pages(CertificateAuthority ca, Sources sources, Clock clock) {
    this.ca = ca;
    this.sources = sources;
    this.clock = clock;
    this.requests = new RequestsPage(ca, clock);
    this.certificates = new CertificatesPage(ca, clock);
  }

  /** The page at {@code path}, or null when there is none. */
  String render(String path, Fields q, Sessions.Session s) throws Refused {
    Instant now = clock.instant();
    return switch (path) {
      case "/console/" -> OverviewPage.render(ca, sources, s, now);
      case "/console/requests" -> requests.list(q, s);
      case "/console/requests/bulk" -> requests.preview(q, s);
      case "/console/certificates" -> certificates.list(q, s);
      case "/console/certificate" -> certificates.detail(q, s);
      case "/console/certificate/confirm" -> certificates.confirm(q, s);
      case "/console/audit" -> AuditPage.render(sources.auditLog(), q, s);
      default -> null;
    };
  }

  /** Does what a form asks; the path to show next. */
  String act(String path, Fields form, Sessions.Session s) throws Refused {
    return switch (path) {
      case "/console/requests/sign" -> requests.sign(form);
      case "/console/requests/reject" -> requests.reject(form);
      case "/console/requests/bulk" -> requests.signPreviewed(form);
      case "/console/certificate/revoke" -> certificates.revoke(form);
      case "/console/certificate/clean" -> certificates.clean(form);
      default -> throw new Refused(404, "Not found", "No console action at " + path);
    };
  }

  /** A page with one message (a refusal, a result), outside any session. */
  static String message(String title, String text) {
    Html h = new Html();
    h.raw("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
        .text(title)
        .raw(" · voxca</title><link rel=\"stylesheet\" href=\"/console/static/console.css\">")
        .raw("</head><body><main><h1>")
        .text(title)
        .raw("</h1><p class=\"message\">")
        .text(text)
        .raw("</p><p><a href=\"/console/\">Console</a></p>");
    return h.end();
  }

  /** The login page of a link: one button, so that a link preview does not spend it. */
  static String login(String token) {
    Html h = new Html();
    h.raw("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .raw("<title>Log in · voxca</title><link rel=\"stylesheet\"")
        .raw(" href=\"/console/static/console.css\"></head><body><main><h1>Log in</h1>");
    if (token == null || token.isEmpty()) {
      h.raw("<p class=\"message\">Run <code>voxca ca console-link</code> on the CA host and open")
          .raw(" the link it prints.</p>");
      return h.end();
    }
    h.raw("<form method=\"post\" action=\"/console/login\">")
        .raw("<input type=\"hidden\" name=\"token\" value=\"")
        .text(token)
        .raw("\"><button type=\"submit\" id=\"login\">Log in to the voxca console</button></form>");
    return h.end();
  }
}
