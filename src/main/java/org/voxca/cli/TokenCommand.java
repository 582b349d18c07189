package org.voxca.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.voxca.client.PuppetCaClient;
import org.voxca.config.PuppetDuration;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code voxca ca token create | list | revoke}: enrolment tokens, through the running CA. The
 * secret is printed once, with the {@code csr_attributes.yaml} an agent needs.
 */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    description = "Enrolment tokens: a CSR that carries one is signed at submission.",
    subcommands = {
      TokenCommand.Create.class,
      TokenCommand.ListTokens.class,
      TokenCommand.Revoke.class
    })
final class TokenCommand implements Runnable {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  static final class Binding {
    @Option(names = "--certname", required = true, description = "The one name it signs")
    String certname;

    @Option(names = "--glob", required = true, description = "Names it signs, e.g. *.example.com")
    String glob;
  }

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a token.")
  static final class Create implements Callable<Integer> {
    @Mixin CliOptions options;

    @ArgGroup(multiplicity = "1")
    Binding binding;

    @Option(names = "--ttl", defaultValue = "1h", description = "How long it is valid (1h)")
    String ttl;

    @Option(names = "--uses", defaultValue = "1", description = "How many CSRs it signs (1)")
    int uses;

    @Option(
        names = "--extension",
        description = "A Puppet extension a CSR may request with it, e.g. pp_role=web (repeatable)")
    Map<String, String> extensions = Map.of();

    @Override
    public Integer call() throws Exception {
      ObjectNode body = JSON.createObjectNode();
      if (binding.certname != null) {
        body.put("certname", binding.certname);
      } else {
        body.put("glob", binding.glob);
      }
      body.put("ttl", PuppetDuration.parse("--ttl", ttl).toSeconds());
      body.put("uses", uses);
      ObjectNode ext = body.putObject("extensions");
      extensions.forEach(ext::put);
      PuppetCaClient.Reply r =
          Online.client(options)
              .voxca("POST", "enrolment_tokens", body.toString(), "application/json");
      if (r.status() != 200) {
        System.err.println("Error: the CA answered " + r.status() + ": " + r.body());
        return Outcome.ERROR;
      }
      JsonNode t = JSON.readTree(r.body());
      System.out.println(t.path("token").asText());
      System.err.println(
          "Token "
              + t.path("id").asText()
              + " valid until "
              + t.path("not_after").asText()
              + " for "
              + t.path("uses").asInt()
              + " CSR(s). On the agent, in csr_attributes.yaml:\n"
              + "custom_attributes:\n"
              + "  1.2.840.113549.1.9.7: \""
              + t.path("token").asText()
              + "\"");
      return Outcome.OK;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List tokens.")
  static final class ListTokens implements Callable<Integer> {
    @Mixin CliOptions options;

    @Override
    public Integer call() throws Exception {
      PuppetCaClient.Reply r = Online.client(options).voxca("GET", "enrolment_tokens", null, null);
      if (r.status() != 200) {
        System.err.println("Error: the CA answered " + r.status() + ": " + r.body());
        return Outcome.ERROR;
      }
      JsonNode tokens = JSON.readTree(r.body());
      if (tokens.isEmpty()) {
        System.out.println("No enrolment tokens");
        return Outcome.OK;
      }
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"ID", "FOR", "STATE", "USED", "VALID UNTIL", "EXTENSIONS"});
      for (JsonNode t : tokens) {
        List<String> ext = new ArrayList<>();
        t.path("extensions")
            .fields()
            .forEachRemaining(e -> ext.add(e.getKey() + "=" + e.getValue().asText()));
        rows.add(
            new String[] {
              t.path("id").asText(),
              t.has("certname") ? t.path("certname").asText() : t.path("glob").asText(),
              t.path("state").asText(),
              t.path("used").asInt() + "/" + t.path("uses").asInt(),
              t.path("not_after").asText(),
              String.join(",", ext)
            });
      }
      System.out.print(Table.render(rows));
      return Outcome.OK;
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a token.")
  static final class Revoke implements Callable<Integer> {
    @Mixin CliOptions options;

    @Parameters(paramLabel = "ID", description = "The token's id, as list shows it")
    String id;

    @Override
    public Integer call() throws Exception {
      PuppetCaClient.Reply r =
          Online.client(options)
              .voxca("DELETE", "enrolment_tokens/" + PuppetCaClient.segment(id), null, null);
      if (r.status() == 204) {
        System.out.println("Revoked enrolment token " + id);
        return Outcome.OK;
      }
      System.err.println("Error: the CA answered " + r.status() + ": " + r.body());
      return Outcome.ERROR;
    }
  }
}
