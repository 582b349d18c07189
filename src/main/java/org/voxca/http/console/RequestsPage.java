package org.voxca.http.console;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.util.Fields;
import org.voxca.ca.CaException;
import org.voxca.ca.CertStatus;
import org.voxca.ca.CertificateAuthority;
import org.voxca.ca.Document;

/**
 * Pending requests: each CSR reviewed in full ({@link CsrReview}), signed or rejected one at a
 * time, or signed in bulk by a glob after a preview. A signature names the fingerprint the operator
 * saw; a CSR replaced since is not signed.
 */
final class RequestsPage {
  static final int PAGE = 50;
  static final int BULK_MAX = 1000;
  private final CertificateAuthority ca;
  private final Clock clock;

  RequestsPage(CertificateAuthority ca, Clock clock) {
    this.ca = ca;
    this.clock = clock;
  }

  String list(Fields q, Sessions.Session s) {
    Map<String, String> f = Forms.values(q, "glob", "page", "signed", "rejected", "skipped");
    int page = Forms.pageNumber(f.get("page"));
    List<String> names = pendingNames(f.get("glob"), (page + 1) * PAGE + 1);
    Instant now = clock.instant();
    Html h = Html.page("Pending requests", "Requests", s.identity.certname());
    notice(h, f);
    h.raw("<form method=\"get\" action=\"/console/requests/bulk\" class=\"filter\">")
        .raw("<label for=\"glob\">Names (glob)</label>")
        .raw("<input id=\"glob\" name=\"glob\" value=\"")
        .text(f.get("glob"))
        .raw("\" placeholder=\"*.example.com\">")
        .raw("<button type=\"submit\" formaction=\"/console/requests\">Filter</button>")
        .raw("<button type=\"submit\" id=\"preview-bulk\">Preview bulk signing</button></form>");
    List<String> shown =
        names.subList(
            Math.min(names.size(), page * PAGE), Math.min(names.size(), (page + 1) * PAGE));
    if (shown.isEmpty()) {
      h.raw("<p class=\"empty\">No pending request.</p>");
    }
    for (String name : shown) {
      var doc = ca.csr(name);
      if (doc.isEmpty()) {
        continue; // signed or rejected since the listing
      }
      try {
        review(h, CsrReview.of(ca, name, doc.get(), now), now, s);
      } catch (org.voxca.pki.PkiException e) {
        h.raw("<section class=\"csr\"><h2>")
            .text(name)
            .raw("</h2><p class=\"warning\">")
            .text("This request cannot be read: " + e.getMessage())
            .raw("</p></section>");
      }
    }
    Html.pager(
        h,
        "/console/requests?glob=" + Html.query(f.get("glob")),
        page,
        names.size() > (page + 1) * PAGE);
    return h.end();
  }

  private static void notice(Html h, Map<String, String> f) {
    if (!f.get("signed").isEmpty() || !f.get("rejected").isEmpty()) {
      h.raw("<p class=\"notice\" role=\"status\">");
      if (!f.get("signed").isEmpty()) {
        h.text("Signed: " + f.get("signed") + ". ");
      }
      if (!f.get("rejected").isEmpty()) {
        h.text("Rejected: " + f.get("rejected") + ". ");
      }
      if (!f.get("skipped").isEmpty()) {
        h.text("Not signed: " + f.get("skipped") + ".");
      }
      h.raw("</p>");
    }
  }

  /** One CSR's whole review, with its sign and reject buttons. */
  static void review(Html h, CsrReview r, Instant now, Sessions.Session s) {
    h.raw("<section class=\"csr\" aria-labelledby=\"csr-")
        .text(r.name())
        .raw("\"><h2 id=\"csr-")
        .text(r.name())
        .raw("\">")
        .text(r.name())
        .raw("</h2>");
    if (!r.warnings().isEmpty()) {
      h.raw("<ul class=\"warnings\">");
      for (String w : r.warnings()) {
        h.raw("<li class=\"warning\">").text(w).raw("</li>");
      }
      h.raw("</ul>");
    }
    h.raw("<dl>");
    dt(h, "SHA-256", r.fingerprint(), "fp");
    dt(h, "Key", r.key(), null);
    dt(
        h,
        "Submitted",
        Html.span(r.submitted(), now) + " ago (" + Html.time(r.submitted()) + ")",
        null);
    dt(h, "Requested by", r.requester(), "requester");
    dt(h, "Not autosigned because", r.reason(), "reason");
    h.raw("<dt>Alt names</dt><dd class=\"alt\">");
    Html.list(h, r.altNames());
    h.raw("</dd><dt>Extensions</dt><dd>");
    Html.table(h, r.extensions(), "Extensions of " + r.name());
    h.raw("</dd></dl>");
    if (r.existing() != null) {
      h.raw("<details class=\"existing\"><summary>Compare with the current certificate</summary>")
          .raw("<table><caption>Request against current certificate</caption>")
          .raw("<tr><th scope=\"col\"></th><th scope=\"col\">Request</th>")
          .raw("<th scope=\"col\">Current (serial ")
          .text(r.existing().serial())
          .raw(")</th></tr><tr><th scope=\"row\">Alt names</th><td>");
      Html.list(h, r.altNames());
      h.raw("</td><td>");
      Html.list(h, r.existing().altNames());
      h.raw("</td></tr><tr><th scope=\"row\">Puppet extensions</th><td>");
      Html.table(h, r.extensions(), "Request's extensions");
      h.raw("</td><td>");
      Html.table(h, r.existing().extensions(), "Current extensions");
      h.raw("</td></tr></table></details>");
    }
    h.raw("<div class=\"actions\"><form method=\"post\" action=\"/console/requests/sign\">")
        .csrf(s.csrf)
        .raw("<input type=\"hidden\" name=\"name\" value=\"")
        .text(r.name())
        .raw("\"><input type=\"hidden\" name=\"fingerprint\" value=\"")
        .text(r.fingerprint())
        .raw("\"><button type=\"submit\" class=\"sign\">Sign ")
        .text(r.name())
        .raw("</button></form><form method=\"post\" action=\"/console/requests/reject\">")
        .csrf(s.csrf)
        .raw("<input type=\"hidden\" name=\"name\" value=\"")
        .text(r.name())
        .raw("\"><button type=\"submit\" class=\"reject\">Reject ")
        .text(r.name())
        .raw("</button></form></div></section>");
  }

  private static void dt(Html h, String term, String value, String cls) {
    h.raw("<dt>").text(term).raw("</dt><dd").raw(cls == null ? "" : " class=\"" + cls + "\"");
    h.raw(">").text(value).raw("</dd>");
  }

  /** The bulk preview: exactly the CSRs a confirmation signs, by name and fingerprint. */
  String preview(Fields q, Sessions.Session s) throws Refused {
    String glob = Forms.values(q, "glob").get("glob");
    if (glob.isEmpty()) {
      throw new Refused(400, "No filter", "Give a glob of names, such as *.example.com.");
    }
    List<String> names = pendingNames(glob, BULK_MAX + 1);
    Instant now = clock.instant();
    Html h = Html.page("Bulk signing preview", "Requests", s.identity.certname());
    h.raw("<p>Signing these ")
        .text(Integer.toString(Math.min(names.size(), BULK_MAX)))
        .raw(" requests matching <code>")
        .text(glob)
        .raw("</code>; a request replaced after this preview is left pending.</p>");
    if (names.size() > BULK_MAX) {
      h.raw("<p class=\"warning\">More than ")
          .text(Integer.toString(BULK_MAX))
          .raw(" match; only the first are signed. Narrow the glob.</p>");
    }
    h.raw("<form method=\"post\" action=\"/console/requests/bulk\">").csrf(s.csrf);
    h.raw(
            "<table id=\"preview\"><caption>Requests to sign</caption><tr><th scope=\"col\">Name</th>")
        .raw(
            "<th scope=\"col\">SHA-256</th><th scope=\"col\">Alt names</th><th scope=\"col\">Warnings</th></tr>");
    for (String name : names.subList(0, Math.min(names.size(), BULK_MAX))) {
      var doc = ca.csr(name);
      if (doc.isEmpty()) {
        continue;
      }
      CsrReview r;
      try {
        r = CsrReview.of(ca, name, doc.get(), now);
      } catch (org.voxca.pki.PkiException e) {
        h.raw("<tr><td>").text(name).raw("</td><td colspan=\"3\" class=\"warning\">");
        h.text("Unreadable, left out: " + e.getMessage()).raw("</td></tr>");
        continue;
      }
      h.raw("<tr><td class=\"name\">")
          .text(name)
          .raw("<input type=\"hidden\" name=\"name\" value=\"")
          .text(name)
          .raw("\"><input type=\"hidden\" name=\"fingerprint\" value=\"")
          .text(r.fingerprint())
          .raw("\"></td><td class=\"fp\">")
          .text(r.fingerprint())
          .raw("</td><td>")
          .text(String.join(", ", r.altNames()))
          .raw("</td><td>");
      Html.list(h, r.warnings());
      h.raw("</td></tr>");
    }
    h.raw("</table><button type=\"submit\" id=\"bulk-sign\">Sign these requests</button></form>");
    return h.end();
  }

  String sign(Fields form) throws Refused {
    String name = Forms.required(form, "name");
    checkFingerprint(name, Forms.required(form, "fingerprint"));
    ca.sign(name, null);
    return "/console/requests?signed=" + Html.query(name);
  }

  String reject(Fields form) throws Refused {
    String name = Forms.required(form, "name");
    if (!ca.deleteCsr(name)) {
      throw new Refused(404, "Not found", "No pending request for " + name);
    }
    return "/console/requests?rejected=" + Html.query(name);
  }

  /** Signs the previewed requests whose CSR is still the one shown. */
  String signPreviewed(Fields form) throws Refused {
    List<String> names = values(form, "name");
    List<String> fps = values(form, "fingerprint");
    if (names.size() != fps.size() || names.size() > BULK_MAX) {
      throw new Refused(400, "Bad form", "The preview's names and fingerprints differ.");
    }
    List<String> signed = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      try {
        checkFingerprint(names.get(i), fps.get(i));
        ca.sign(names.get(i), null);
        signed.add(names.get(i));
      } catch (Refused | CaException e) {
        skipped.add(names.get(i));
      }
    }
    return "/console/requests?signed="
        + Html.query(signed.size() + " request(s)")
        + (skipped.isEmpty() ? "" : "&skipped=" + Html.query(String.join(", ", skipped)));
  }

  private void checkFingerprint(String name, String fingerprint) throws Refused {
    Document doc =
        ca.csr(name)
            .orElseThrow(() -> new Refused(404, "Not found", "No pending request for " + name));
    if (!CsrReview.fingerprint(doc).equals(fingerprint)) {
      throw new Refused(
          409,
          "Request changed",
          "The request of " + name + " changed since it was shown; review it again.");
    }
  }

  /** Pending names matching a glob (all when empty), at most {@code limit}. */
  private List<String> pendingNames(String glob, int limit) {
    List<String> names = new ArrayList<>();
    ca.eachStatus(
        CertStatus.REQUESTED,
        glob == null || glob.isEmpty() ? null : glob,
        null,
        st -> {
          if (names.size() < limit) {
            names.add(st.name());
          }
        });
    return names;
  }

  private static List<String> values(Fields form, String name) {
    Fields.Field f = form.get(name);
    return f == null ? List.of() : f.getValues();
  }
}
