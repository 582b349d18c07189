package org.voxca.http.console;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.voxca.ca.CertStatus;
import org.voxca.ca.CertificateAuthority;
import org.voxca.ca.RolloverStatus;
import org.voxca.http.Readiness;

/** The first page: the CA's health, what waits for the operator, and the expiry timeline. */
final class OverviewPage {
  /** Three of the replicas' 30-second heartbeats. */
  static final java.time.Duration MISSING_AFTER = java.time.Duration.ofSeconds(90);

  private OverviewPage() {}

  static String render(CertificateAuthority ca, Sources sources, Sessions.Session s, Instant now) {
    Readiness readiness = sources.readiness();
    Html h = Html.page("CA overview", "Overview", s.identity.certname());
    Map<String, Map<String, Instant>> exp = ca.expirations();
    Instant caEnd = null;
    for (Instant i : exp.getOrDefault("ca-certs", Map.of()).values()) {
      caEnd = caEnd == null || i.isBefore(caEnd) ? i : caEnd;
    }
    Instant crlNext = null;
    for (Instant i : exp.getOrDefault("crls", Map.of()).values()) {
      crlNext = crlNext == null || i.isBefore(crlNext) ? i : crlNext;
    }
    long[] pending = {0};
    ca.eachStatus(CertStatus.REQUESTED, null, null, st -> pending[0]++);
    h.raw("<section aria-labelledby=\"health\"><h2 id=\"health\">Health</h2><dl class=\"health\">");
    h.raw("<dt>State</dt><dd id=\"state\">").text(readiness.state().word());
    if (readiness.reason() != null) {
      h.text(" (" + readiness.reason() + ")");
    }
    h.raw("</dd><dt>CA certificate ends</dt><dd id=\"ca-end\">")
        .text(caEnd == null ? "unknown" : Html.time(caEnd) + " (in " + Html.span(now, caEnd) + ")")
        .raw(
            "<br><span class=\"hint\">To extend it with the same key: <code>voxca ca extend --ttl 15y</code></span>")
        .raw("</dd><dt>Key rollover</dt><dd id=\"rollover\">");
    rollover(h, ca.rolloverStatus());
    h.raw("</dd><dt>CRL next update</dt><dd id=\"crl-next\">")
        .text(Html.time(crlNext))
        .raw("</dd><dt>Pending requests</dt><dd><a id=\"pending\" href=\"/console/requests\">")
        .text(Long.toString(pending[0]))
        .raw("</a></dd><dt>Requests shed since start</dt><dd id=\"shed\">")
        .text(Long.toString(sources.shed().getAsLong()))
        .raw(" <span class=\"hint\">(submissions and renewals answered 503 under load)</span>")
        .raw("</dd></dl>");
    replicas(h, sources.replicas().get(), now);
    h.raw("</section>");
    h.raw("<section aria-labelledby=\"expiry\"><h2 id=\"expiry\">Fleet expiry</h2>");
    Map<String, Instant> marks = new LinkedHashMap<>();
    marks.put("CA certificate ends", caEnd);
    marks.put("CRL next update", crlNext);
    ExpiryChart.render(h, ExpiryChart.weeks(ca, now), now, marks);
    h.raw("</section><form method=\"post\" action=\"/console/logout\">")
        .csrf(s.csrf)
        .raw("<button type=\"submit\">Log out</button></form>");
    return h.end();
  }

  /** Where a CA key rollover stands, and the operator's next step. */
  private static void rollover(Html h, RolloverStatus r) {
    if (r.next() == null) {
      h.text("none")
          .raw(
              "<br><span class=\"hint\">To move the CA to a new key: <code>voxca ca rollover"
                  + " prepare</code></span>");
      return;
    }
    h.text(r.stage() + (r.since() == null ? "" : " since " + Html.time(r.since())))
        .text(": next CA " + r.next().subject() + " (" + r.next().key() + ")");
    if (r.nextRoot() != null) {
      h.text(", under the next root " + r.nextRoot().subject());
    }
    h.text("; the " + r.signing() + " CA signs new certificates");
    if (r.fetches() != null) {
      h.raw("<br>")
          .text(
              "Agents that fetched the new CA bundle: "
                  + r.fetches().bundle()
                  + ", the CRL: "
                  + r.fetches().crl()
                  + " (this server, since "
                  + Html.time(r.fetches().since())
                  + ")");
    }
    String next =
        switch (r.stage()) {
          case "prepared" ->
              "Next, once every agent holds the new CA bundle: <code>voxca ca rollover"
                  + " activate</code>";
          case "active" ->
              "Next, once every certificate of the current CA is renewed: <code>voxca ca rollover"
                  + " finish</code>, with every server stopped";
          default -> null;
        };
    if (next != null) {
      h.raw("<br><span class=\"hint\">").raw(next).raw("</span>");
    }
  }

  /** Each replica's last heartbeat; one missing for three heartbeats is flagged. */
  private static void replicas(Html h, Map<String, Instant> seen, Instant now) {
    if (seen.isEmpty()) {
      return;
    }
    h.raw("<table id=\"replicas\"><caption>Replicas on this database</caption>")
        .raw("<tr><th scope=\"col\">Replica</th><th scope=\"col\">Last seen</th></tr>");
    for (var e : seen.entrySet()) {
      boolean missing = e.getValue().isBefore(now.minus(MISSING_AFTER));
      h.raw("<tr><td>")
          .text(e.getKey())
          .raw("</td><td")
          .raw(missing ? " class=\"warning\"" : "")
          .raw(">")
          .text(Html.time(e.getValue()) + " (" + Html.span(e.getValue(), now) + " ago")
          .text(missing ? "; not seen since: stopped or cut off?)" : ")")
          .raw("</td></tr>");
    }
    h.raw("</table>");
  }
}
