package org.voxca.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.concurrent.Callable;
import org.voxca.client.PuppetCaClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code voxca ca expirations [--format text|json]}: when each CA certificate expires and when each
 * CRL must be re-signed by, as the running CA's {@code GET expirations} reports them.
 */
@Command(
    name = "expirations",
    mixinStandardHelpOptions = true,
    description = "Show when the CA certificates expire and the CRLs' next updates.")
final class ExpirationsCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, String> TITLES =
      Map.of("ca-certs", "CA certificates (notAfter)", "crls", "CRLs (nextUpdate)");

  @Mixin CliOptions options;

  @Option(names = "--format", defaultValue = "text", description = "text or json")
  String format;

  @Override
  public Integer call() throws Exception {
    PuppetCaClient.Reply r = Online.client(options).expirations();
    if (r.status() != 200) {
      System.err.println("Error: the CA answered " + r.status() + ": " + r.body());
      return Outcome.ERROR;
    }
    if (format.equals("json")) {
      System.out.println(r.body());
      return Outcome.OK;
    }
    JsonNode all = JSON.readTree(r.body());
    all.fieldNames()
        .forEachRemaining(
            kind -> {
              System.out.println(TITLES.getOrDefault(kind, kind) + ":");
              all.get(kind)
                  .fields()
                  .forEachRemaining(
                      e -> System.out.println("  " + e.getValue().asText() + "  " + e.getKey()));
            });
    return Outcome.OK;
  }
}
