package org.voxca.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.concurrent.Callable;
import org.voxca.client.PuppetCaClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code voxca ca console-link}: a one-time login link to the operator console, asked of the
 * running server with the admin certificate. The link works once, within five minutes, on the
 * server that made it; the browser then holds a session of its own.
 */
@Command(
    name = "console-link",
    mixinStandardHelpOptions = true,
    description = "Print a one-time login link to the operator console.")
final class ConsoleLinkCommand implements Callable<Integer> {
  @Mixin CliOptions options;

  @Override
  public Integer call() throws Exception {
    PuppetCaClient.Reply r = Online.client(options).voxca("POST", "console_links", "", null);
    if (r.status() != 200) {
      System.err.println("Error: the CA answered " + r.status() + ": " + r.body());
      return Outcome.ERROR;
    }
    JsonNode d = new ObjectMapper().readTree(r.body());
    System.out.println(d.path("url").asText());
    System.err.println("One use, until " + d.path("expires").asText() + ".");
    return Outcome.OK;
  }
}
