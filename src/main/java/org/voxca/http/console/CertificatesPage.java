package org.voxca.http.console;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.eclipse.jetty.util.Fields;
import org.voxca.ca.CertStatus;
import org.voxca.ca.CertificateAuthority;
import org.voxca.pki.Certificates;

/**
 * Certificates: searched by a glob of names, a state and an expiry date, a page of {@link #PAGE} in
 * name order; one certificate's detail; revoke and clean, each after a page that says what follows.
 */
final class CertificatesPage {
  static final int PAGE = 100;
  private static final Set<String> STATES =
      Set.of("", CertStatus.REQUESTED, CertStatus.SIGNED, CertStatus.REVOKED);
  private final CertificateAuthority ca;
  private final Clock clock;

  CertificatesPage(CertificateAuthority ca, Clock clock) {
    this.ca = ca;
    this.clock = clock;
  }

  private record Row(String name, String state, Instant notAfter, String fingerprint) {}

  String list(Fields q, Sessions.Session s) throws Refused {
    Map<String, String> f = Forms.values(q, "glob", "state", "expiring", "page");
    if (!STATES.contains(f.get("state"))) {
      throw new Refused(400, "Bad filter", "Unknown state " + f.get("state"));
    }
    Instant before = date(f.get("expiring"));
    int page = Forms.pageNumber(f.get("page"));
    List<Row> rows = new ArrayList<>();
    ca.eachStatus(
        f.get("state").isEmpty() ? null : f.get("state"),
        f.get("glob").isEmpty() ? null : f.get("glob"),
        before,
        st ->
            rows.add(
                new Row(st.name(), st.state(), st.notAfter(), st.fingerprints().get("SHA256"))));
    rows.sort(Comparator.comparing(Row::name).thenComparing(Row::state));
    Html h = Html.page("Certificates", "Certificates", s.identity.certname());
    h.raw("<form method=\"get\" action=\"/console/certificates\" class=\"filter\">")
        .raw("<label for=\"glob\">Names (glob)</label><input id=\"glob\" name=\"glob\" value=\"")
        .text(f.get("glob"))
        .raw("\"><label for=\"state\">State</label><select id=\"state\" name=\"state\">");
    for (String st : List.of("", CertStatus.REQUESTED, CertStatus.SIGNED, CertStatus.REVOKED)) {
      h.raw("<option value=\"")
          .text(st)
          .raw("\"")
          .raw(st.equals(f.get("state")) ? " selected" : "");
      h.raw(">").text(st.isEmpty() ? "any" : st).raw("</option>");
    }
    h.raw("</select><label for=\"expiring\">Expiring before</label>")
        .raw("<input id=\"expiring\" name=\"expiring\" type=\"date\" value=\"")
        .text(f.get("expiring"))
        .raw("\"><button type=\"submit\">Search</button></form>");
    h.raw("<p id=\"count\">")
        .text(rows.size() + (rows.size() == 1 ? " match" : " matches"))
        .raw("</p>");
    h.raw("<table id=\"certificates\"><caption>Certificates and requests</caption><tr>")
        .raw("<th scope=\"col\">Name</th><th scope=\"col\">State</th>")
        .raw("<th scope=\"col\">Expires</th><th scope=\"col\">SHA-256</th></tr>");
    Instant now = clock.instant();
    for (Row r :
        rows.subList(
            Math.min(rows.size(), page * PAGE), Math.min(rows.size(), (page + 1) * PAGE))) {
      h.raw("<tr><td><a href=\"/console/certificate?name=")
          .text(Html.query(r.name()))
          .raw("\">")
          .text(r.name())
          .raw("</a></td><td>")
          .text(r.state())
          .raw("</td><td>")
          .text(
              r.notAfter() == null
                  ? ""
                  : r.notAfter()
                      + " ("
                      + (r.notAfter().isAfter(now) ? "in " : "")
                      + Html.span(now, r.notAfter())
                      + (r.notAfter().isAfter(now) ? "" : " ago")
                      + ")")
          .raw("</td><td class=\"fp\">")
          .text(r.fingerprint())
          .raw("</td></tr>");
    }
    h.raw("</table>");
    Html.pager(
        h,
        "/console/certificates?glob="
            + Html.query(f.get("glob"))
            + "&state="
            + Html.query(f.get("state"))
            + "&expiring="
            + Html.query(f.get("expiring")),
        page,
        rows.size() > (page + 1) * PAGE);
    return h.end();
  }

  String detail(Fields q, Sessions.Session s) throws Refused {
    String name = Forms.required(q, "name");
    CertStatus st =
        ca.status(name)
            .orElseThrow(() -> new Refused(404, "Not found", "Nothing is known of " + name));
    Html h = Html.page(name, "Certificates", s.identity.certname());
    h.raw("<dl>");
    row(h, "State", st.state());
    row(
        h,
        "Serial",
        st.serialNumber() == null
            ? ""
            : st.serialNumber().toString(16).toUpperCase(java.util.Locale.ROOT));
    row(h, "Not before", st.notBefore() == null ? "" : Html.time(st.notBefore()));
    row(h, "Not after", st.notAfter() == null ? "" : Html.time(st.notAfter()));
    row(h, "SHA-256", st.fingerprints().get("SHA256"));
    h.raw("<dt>Alt names</dt><dd>");
    Html.list(h, st.subjectAltNames());
    if (!st.state().equals(CertStatus.REQUESTED)) {
      certificate(h, name);
    } else {
      h.raw("<dt>Authorization extensions</dt><dd>");
      Html.table(h, st.authorizationExtensions(), "Authorization extensions");
      h.raw("</dd><dt>Pending request</dt><dd><a href=\"/console/requests?glob=")
          .text(Html.query(name))
          .raw("\">Review it</a></dd>");
    }
    h.raw("</dl><div class=\"actions\">");
    if (st.state().equals(CertStatus.SIGNED)) {
      h.raw("<a class=\"button\" href=\"/console/certificate/confirm?action=revoke&amp;name=")
          .text(Html.query(name))
          .raw("\">Revoke…</a>");
    }
    h.raw("<a class=\"button\" href=\"/console/certificate/confirm?action=clean&amp;name=")
        .text(Html.query(name))
        .raw("\">Clean…</a></div>");
    return h.end();
  }

  /** The certificate's key, issuer and every extension, read from the stored certificate. */
  private void certificate(Html h, String name) {
    var doc = ca.certificate(name);
    if (doc.isEmpty()) {
      return;
    }
    X509Certificate cert =
        Certificates.readCertificates(new String(doc.get().bytes(), StandardCharsets.UTF_8)).get(0);
    h.raw("<dt>Key</dt><dd>")
        .text(CsrReview.key(SubjectPublicKeyInfo.getInstance(cert.getPublicKey().getEncoded())))
        .raw("</dd><dt>Issuer</dt><dd>")
        .text(cert.getIssuerX500Principal().getName())
        .raw("</dd><dt>Extensions</dt><dd>");
    try {
      Extensions all = new JcaX509CertificateHolder(cert).getExtensions();
      List<Extension> list = new ArrayList<>();
      for (var oid :
          all == null
              ? new org.bouncycastle.asn1.ASN1ObjectIdentifier[0]
              : all.getExtensionOIDs()) {
        list.add(all.getExtension(oid));
      }
      Html.table(h, CsrReview.extensions(list), "Extensions of " + name);
    } catch (java.security.cert.CertificateEncodingException e) {
      h.text("unreadable: " + e.getMessage());
    }
    h.raw("</dd>");
  }

  /** The page before a revocation or a clean: what follows, and the one button that does it. */
  String confirm(Fields q, Sessions.Session s) throws Refused {
    String name = Forms.required(q, "name");
    String action = Forms.required(q, "action");
    if (!action.equals("revoke") && !action.equals("clean")) {
      throw new Refused(400, "Bad action", "Unknown action " + action);
    }
    ca.status(name).orElseThrow(() -> new Refused(404, "Not found", "Nothing is known of " + name));
    Html h =
        Html.page(
            (action.equals("revoke") ? "Revoke " : "Clean ") + name,
            "Certificates",
            s.identity.certname());
    h.raw("<p class=\"consequence\">");
    if (action.equals("revoke")) {
      h.text(
          "Every certificate of "
              + name
              + " goes on the CRL at once. The CA and any server that"
              + " reads the CRL refuse the agent from its next connection; the agent needs a new"
              + " certificate (clean it, then let it submit a new request).");
    } else {
      h.text(
          "Every certificate of "
              + name
              + " is revoked and goes on the CRL, and its certificate"
              + " and any pending request are deleted from the CA. The agent is refused until it submits"
              + " a new request and that request is signed.");
    }
    h.raw("</p><form method=\"post\" action=\"/console/certificate/")
        .raw(action)
        .raw("\">")
        .csrf(s.csrf)
        .raw("<input type=\"hidden\" name=\"name\" value=\"")
        .text(name)
        .raw("\"><button type=\"submit\" class=\"danger\" id=\"confirm\">")
        .text((action.equals("revoke") ? "Revoke " : "Clean ") + name)
        .raw("</button> <a href=\"/console/certificate?name=")
        .text(Html.query(name))
        .raw("\">Cancel</a></form>");
    return h.end();
  }

  String revoke(Fields form) throws Refused {
    String name = Forms.required(form, "name");
    ca.revoke(name);
    return "/console/certificate?name=" + Html.query(name);
  }

  String clean(Fields form) throws Refused {
    String name = Forms.required(form, "name");
    if (!ca.clean(List.of(name)).isEmpty()) {
      throw new Refused(404, "Not found", "Nothing is known of " + name);
    }
    return "/console/certificates?glob=" + Html.query(name);
  }

  private static void row(Html h, String term, String value) {
    h.raw("<dt>").text(term).raw("</dt><dd>").text(value).raw("</dd>");
  }

  static Instant date(String s) throws Refused {
    if (s == null || s.isEmpty()) {
      return null;
    }
    try {
      return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeParseException e) {
      throw new Refused(400, "Bad date", "Not a date (YYYY-MM-DD): " + s);
    }
  }
}
