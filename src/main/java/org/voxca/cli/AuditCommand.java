package org.voxca.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.voxca.assembly.AuditLog;
import org.voxca.config.ConfigException;
import org.voxca.config.PuppetDuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code voxca ca audit [--certname X] [--since 2026-11-01 | 7d] [--format text|json]}: the audit
 * log as a table (or its JSON lines), oldest first; exit 1 when the log cannot be read.
 */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = "Show the audit log: who changed what, when.")
final class AuditCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();
  @Mixin CliOptions options;

  @Option(names = "--certname", description = "Only changes of this name")
  String certname;

  @Option(
      names = "--since",
      description = "Only changes from this time on: an ISO instant or date, or an age (7d, 12h)")
  String since;

  @Option(names = "--file", description = "The audit log (default: voxca { audit-log })")
  Path file;

  @Option(names = "--format", defaultValue = "text", description = "text or json")
  String format;

  @Override
  public Integer call() throws Exception {
    Path log = file != null ? file : options.load().operations().auditLog();
    if (log == null) {
      System.err.println("Error: the audit log is off (voxca { audit-log: \"\" })");
      return Outcome.ERROR;
    }
    Instant from;
    try {
      from = since == null ? Instant.MIN : since(since, Instant.now());
    } catch (IllegalArgumentException e) {
      System.err.println("Error: " + e.getMessage());
      return Outcome.ERROR;
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"TIME", "EVENT", "ACTOR", "CERTNAME", "SERIALS", "OUTCOME"});
    int bad = 0;
    try (BufferedReader in = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        JsonNode e;
        try {
          e = JSON.readTree(line);
        } catch (JsonProcessingException ex) {
          bad++; // a line cut short by a crash of the writer: skipped, counted
          continue;
        }
        if (e == null || !e.isObject() || !matches(e, from)) {
          continue;
        }
        if (format.equals("json")) {
          System.out.println(line);
        } else {
          rows.add(row(e));
        }
      }
    } catch (NoSuchFileException e) {
      System.err.println("Error: no audit log at " + log);
      return Outcome.ERROR;
    }
    if (!format.equals("json")) {
      System.out.print(rows.size() == 1 ? "No audit entries\n" : Table.render(rows));
    }
    if (bad > 0) {
      System.err.println("Warning: skipped " + bad + " unreadable line(s) of " + log);
    }
    return Outcome.OK;
  }

  private boolean matches(JsonNode e, Instant from) {
    if (certname != null && !certname.equals(e.path(AuditLog.CERTNAME).asText())) {
      return false;
    }
    try {
      return !Instant.parse(e.path(AuditLog.TIME).asText()).isBefore(from);
    } catch (DateTimeParseException ex) {
      return false;
    }
  }

  private static String[] row(JsonNode e) {
    List<String> serials = new ArrayList<>();
    e.path(AuditLog.SERIALS).forEach(s -> serials.add(s.asText()));
    return new String[] {
      e.path(AuditLog.TIME).asText(),
      e.path(AuditLog.EVENT).asText(),
      e.path(AuditLog.ACTOR).asText(),
      e.path(AuditLog.CERTNAME).asText(),
      serials.isEmpty() ? "-" : String.join(",", serials),
      e.path(AuditLog.OUTCOME).asText()
    };
  }

  /** An ISO instant, an ISO date (midnight UTC), or an age before {@code now} (7d, 12h, 30m). */
  static Instant since(String text, Instant now) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      // not an instant
    }
    try {
      return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeParseException e) {
      // not a date
    }
    try {
      return now.minus(PuppetDuration.parse("--since", text));
    } catch (ConfigException e) {
      throw new IllegalArgumentException(
          "--since must be an ISO time (2026-11-30T10:00:00Z), a date (2026-11-30) or an age"
              + " (7d, 12h), not '"
              + text
              + "'");
    }
  }
}
