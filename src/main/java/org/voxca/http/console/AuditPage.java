package org.voxca.http.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.util.Fields;

/**
 * The audit log, newest first, filtered by actor, event, name and time. Only the log's last {@link
 * #TAIL_BYTES} are read, so the page stays fast however long the log grows; older lines are for
 * {@code voxca ca audit}.
 */
final class AuditPage {
  static final long TAIL_BYTES = 8L * 1024 * 1024;
  static final int SHOWN = 200;
  private static final ObjectMapper JSON = new ObjectMapper();

  private AuditPage() {}

  static String render(Path log, Fields q, Sessions.Session s) {
    Map<String, String> f = Forms.values(q, "actor", "event", "name", "since");
    Html h = Html.page("Audit log", "Audit log", s.identity.certname());
    h.raw("<form method=\"get\" action=\"/console/audit\" class=\"filter\">");
    for (String[] field :
        List.of(
            new String[] {"actor", "Actor"},
            new String[] {"event", "Event"},
            new String[] {"name", "Name"},
            new String[] {"since", "Since (ISO time)"})) {
      h.raw("<label for=\"a-")
          .raw(field[0])
          .raw("\">")
          .text(field[1])
          .raw("</label>")
          .raw("<input id=\"a-")
          .raw(field[0])
          .raw("\" name=\"")
          .raw(field[0])
          .raw("\" value=\"")
          .text(f.get(field[0]))
          .raw("\">");
    }
    h.raw("<button type=\"submit\">Filter</button></form>");
    if (log == null || !Files.isReadable(log)) {
      h.raw("<p class=\"empty\">The audit log is off or not readable.</p>");
      return h.end();
    }
    List<JsonNode> lines = new ArrayList<>();
    try {
      for (String line : tail(log)) {
        JsonNode n;
        try {
          n = JSON.readTree(line);
        } catch (IOException e) {
          continue;
        }
        if (matches(n, f)) {
          lines.add(n);
        }
      }
    } catch (IOException e) {
      h.raw("<p class=\"warning\">")
          .text("The audit log could not be read: " + e.getMessage())
          .raw("</p>");
      return h.end();
    }
    h.raw("<table id=\"audit\"><caption>Newest first, at most ")
        .text(Integer.toString(SHOWN))
        .raw("</caption><tr><th scope=\"col\">Time</th><th scope=\"col\">Event</th>")
        .raw(
            "<th scope=\"col\">Actor</th><th scope=\"col\">Name</th><th scope=\"col\">Outcome</th></tr>");
    for (int i = lines.size() - 1, shown = 0; i >= 0 && shown < SHOWN; i--, shown++) {
      JsonNode n = lines.get(i);
      h.raw("<tr><td>")
          .text(n.path("time").asText())
          .raw("</td><td>")
          .text(n.path("event").asText())
          .raw("</td><td>")
          .text(n.path("actor").asText())
          .raw("</td><td>")
          .text(n.path("certname").asText())
          .raw("</td><td>")
          .text(n.path("outcome").asText())
          .raw("</td></tr>");
    }
    h.raw("</table>");
    return h.end();
  }

  private static boolean matches(JsonNode n, Map<String, String> f) {
    return contains(n.path("actor").asText(), f.get("actor"))
        && contains(n.path("event").asText(), f.get("event"))
        && contains(n.path("certname").asText(), f.get("name"))
        && (f.get("since").isEmpty() || n.path("time").asText().compareTo(f.get("since")) >= 0);
  }

  private static boolean contains(String value, String filter) {
    return filter.isEmpty()
        || value.toLowerCase(Locale.ROOT).contains(filter.toLowerCase(Locale.ROOT));
  }

  /** The whole lines in the log's last {@link #TAIL_BYTES}. */
  static List<String> tail(Path log) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
      long start = Math.max(0, f.length() - TAIL_BYTES);
      byte[] b = new byte[(int) (f.length() - start)];
      f.seek(start);
      f.readFully(b);
      List<String> out =
          new ArrayList<>(List.of(new String(b, StandardCharsets.UTF_8).split("\n")));
      if (start > 0 && !out.isEmpty()) {
        out.remove(0); // cut mid-line
      }
      return out;
    }
  }
}
