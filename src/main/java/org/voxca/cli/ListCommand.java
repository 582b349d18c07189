package org.voxca.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.voxca.client.PuppetCaClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code voxca ca list [--all] [--format text|json]}: pending requests, or every certificate. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "List pending requests (or all certificates).")
final class ListCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();
  @Mixin CliOptions options;

  @Option(names = "--all", description = "All certificates, not only pending requests")
  boolean all;

  @Option(names = "--format", defaultValue = "text", description = "text or json")
  String format;

  @Option(names = "--expired", description = "Only certificates past their notAfter")
  boolean expired;

  @Override
  public Integer call() throws Exception {
    PuppetCaClient client = Online.client(options);
    PuppetCaClient.Reply r = client.statuses(all || expired ? null : "requested");
    if (r.status() != 200) {
      System.err.println("Error: the CA answered " + r.status() + ": " + r.body());
      return 1;
    }
    JsonNode statuses = expired ? expiredOnly(JSON.readTree(r.body())) : JSON.readTree(r.body());
    if (format.equals("json")) {
      ObjectNode out = JSON.createObjectNode();
      for (String state : new String[] {"requested", "signed", "revoked"}) {
        out.putArray(state);
      }
      for (JsonNode s : statuses) {
        ((ArrayNode) out.get(s.path("state").asText())).add(s);
      }
      System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(out));
      return 0;
    }
    if (statuses.isEmpty()) {
      System.out.println(
          expired
              ? "No expired certificates"
              : all ? "No certificates to list" : "No certificates requested");
      return 0;
    }
    List<String[]> rows = new ArrayList<>();
    boolean why = false;
    for (JsonNode s : statuses) {
      why |= s.has("voxca_pending_reason");
    }
    rows.add(
        why
            ? new String[] {
              "NAME", "STATE", "FINGERPRINT (SHA256)", "ALT NAMES", "EXPIRES", "PENDING"
            }
            : new String[] {"NAME", "STATE", "FINGERPRINT (SHA256)", "ALT NAMES", "EXPIRES"});
    for (JsonNode s : statuses) {
      List<String> alt = new ArrayList<>();
      s.path("subject_alt_names").forEach(a -> alt.add(a.asText()));
      String[] row = {
        s.path("name").asText(),
        s.path("state").asText(),
        s.path("fingerprints").path("SHA256").asText(),
        String.join(",", alt),
        s.path("not_after").asText("-"),
        s.path("voxca_pending_reason").asText("-")
      };
      rows.add(why ? row : java.util.Arrays.copyOf(row, 5));
    }
    System.out.print(Table.render(rows));
    return 0;
  }

  /** Certificates whose not_after ({@code 2026-11-23T12:00:00UTC}) has passed. */
  private static JsonNode expiredOnly(JsonNode statuses) {
    ArrayNode out = JSON.createArrayNode();
    Instant now = Instant.now();
    for (JsonNode s : statuses) {
      String notAfter = s.path("not_after").asText("");
      if (!notAfter.isEmpty() && Instant.parse(notAfter.replace("UTC", "Z")).isBefore(now)) {
        out.add(s);
      }
    }
    return out;
  }
}
