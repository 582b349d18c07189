package org.voxca.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.concurrent.Callable;
import org.voxca.client.PuppetCaClient;
import org.voxca.config.PuppetDuration;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code voxca ca sign --certname a,b | --all [--ttl 5y]}. */
@Command(
    name = "sign",
    mixinStandardHelpOptions = true,
    description = "Sign pending certificate requests.")
final class SignCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();
  @Mixin CliOptions options;

  static final class Which {
    @Option(names = "--certname", split = ",", required = true, description = "Names to sign")
    List<String> names;

    @Option(names = "--all", required = true, description = "Sign every pending request")
    boolean all;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Which which;

  @Option(names = "--ttl", description = "Lifetime of the certificates, e.g. 5y, 90d, 3600")
  String ttl;

  @Override
  public Integer call() throws Exception {
    PuppetCaClient client = Online.client(options);
    List<String> names = which.names;
    if (which.all) {
      PuppetCaClient.Reply r = client.statuses("requested");
      if (r.status() != 200) {
        System.err.println("Error: the CA answered " + r.status() + ": " + r.body());
        return Outcome.ERROR;
      }
      names = JSON.readTree(r.body()).findValuesAsText("name");
      if (names.isEmpty()) {
        System.err.println("No waiting certificate requests to sign");
        return Outcome.INVALID;
      }
    }
    Long seconds = ttl == null ? null : PuppetDuration.parse("--ttl", ttl).toSeconds();
    Outcome outcome = new Outcome();
    for (String name : names) {
      PuppetCaClient.Reply r = client.sign(name, seconds);
      if (r.status() == 204) {
        System.out.println("Successfully signed certificate request for " + name);
      } else if (r.status() == 404) {
        System.err.println("Could not find certificate request for " + name);
        outcome.record(Outcome.ERROR);
      } else {
        System.err.println(
            "When attempting to sign certificate request '"
                + name
                + "', received code "
                + r.status()
                + ": "
                + r.body());
        outcome.record(Outcome.ERROR);
      }
    }
    return outcome.code();
  }
}
