package org.voxca.http.console;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The console's HTML: every value escaped, one page shell. Pages carry no inline script or style
 * (the Content-Security-Policy forbids both); the one stylesheet is served from {@code
 * /console/static/}.
 */
final class Html {
  private final StringBuilder out = new StringBuilder(8192);

  /** Escapes text for an element's content or a quoted attribute. */
  static String esc(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> {
          if (c < 0x20 && c != '\n' && c != '\t') {
            b.append("\\x").append(String.format("%02x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }

  /** Escapes a value for a query parameter in an href. */
  static String query(String s) {
    return java.net.URLEncoder.encode(s == null ? "" : s, java.nio.charset.StandardCharsets.UTF_8);
  }

  /** A page: title, navigation (current item marked), and the user it is shown to. */
  static Html page(String title, String current, String user) {
    Html h = new Html();
    h.raw("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .raw("<title>")
        .text(title)
        .raw(" · voxca</title>")
        .raw("<link rel=\"stylesheet\" href=\"/console/static/console.css\"></head><body>")
        .raw("<header><nav aria-label=\"Console\"><span class=\"brand\">voxca</span><ul>");
    for (String[] item :
        List.of(
            new String[] {"/console/", "Overview"},
            new String[] {"/console/requests", "Requests"},
            new String[] {"/console/certificates", "Certificates"},
            new String[] {"/console/audit", "Audit log"})) {
      h.raw("<li><a href=\"").raw(item[0]).raw("\"");
      if (item[1].equals(current)) {
        h.raw(" aria-current=\"page\"");
      }
      h.raw(">").text(item[1]).raw("</a></li>");
    }
    h.raw("</ul><span class=\"user\">")
        .text(user)
        .raw("</span></nav></header><main><h1>")
        .text(title)
        .raw("</h1>");
    return h;
  }

  Html raw(String s) {
    out.append(s);
    return this;
  }

  Html text(String s) {
    out.append(esc(s));
    return this;
  }

  /** A hidden CSRF field, for every form that changes something. */
  Html csrf(String token) {
    return raw("<input type=\"hidden\" name=\"csrf\" value=\"").text(token).raw("\">");
  }

  String end() {
    out.append("</main></body></html>\n");
    return out.toString();
  }

  /** An instant to the second, or "none". */
  static String time(Instant t) {
    return t == null ? "none" : t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
  }

  /** "3 d", "5 h", "12 min", for an age or a time left. */
  static String span(Instant from, Instant to) {
    Duration d = Duration.between(from, to).abs();
    if (d.toDays() >= 2) {
      return d.toDays() + " d";
    }
    if (d.toHours() >= 2) {
      return d.toHours() + " h";
    }
    return Math.max(0, d.toMinutes()) + " min";
  }

  static void list(Html h, List<String> items) {
    if (items.isEmpty()) {
      h.raw("<span class=\"none\">none</span>");
      return;
    }
    h.raw("<ul>");
    for (String i : items) {
      h.raw("<li>").text(i).raw("</li>");
    }
    h.raw("</ul>");
  }

  static void table(Html h, Map<String, String> rows, String caption) {
    if (rows.isEmpty()) {
      h.raw("<span class=\"none\">none</span>");
      return;
    }
    h.raw("<table class=\"ext\"><caption>").text(caption).raw("</caption>");
    for (var e : rows.entrySet()) {
      h.raw("<tr><th scope=\"row\">").text(e.getKey()).raw("</th><td>").text(e.getValue());
      h.raw("</td></tr>");
    }
    h.raw("</table>");
  }

  static void pager(Html h, String base, int page, boolean more) {
    h.raw("<nav class=\"pager\" aria-label=\"Pages\">");
    if (page > 0) {
      h.raw("<a rel=\"prev\" href=\"").text(base + "&page=" + (page - 1)).raw("\">Previous</a> ");
    }
    h.raw("<span>Page ").text(Integer.toString(page + 1)).raw("</span>");
    if (more) {
      h.raw(" <a rel=\"next\" href=\"").text(base + "&page=" + (page + 1)).raw("\">Next</a>");
    }
    h.raw("</nav>");
  }
}
