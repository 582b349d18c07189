package org.voxca.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.voxca.client.PuppetCaClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code voxca ca clean --certname a,b}: revoke, then delete the files (24 when only a CSR
 * existed).
 */
@Command(
    name = "clean",
    mixinStandardHelpOptions = true,
    description = "Revoke and delete certificates.")
final class CleanCommand implements Callable<Integer> {
  @Mixin CliOptions options;

  @Option(names = "--certname", split = ",", required = true, description = "Names to clean")
  List<String> names;

  @Override
  public Integer call() throws Exception {
    PuppetCaClient client = Online.client(options);
    Outcome outcome = new Outcome();
    for (String name : names) {
      int revoked = RevokeCommand.revoke(client, name);
      if (revoked == Outcome.ERROR) {
        outcome.record(revoked);
        continue;
      }
      PuppetCaClient.Reply d = client.deleteFiles(name);
      if (d.status() == 204 || d.status() == 200) {
        System.out.println("Cleaned files related to " + name);
        outcome.record(revoked);
      } else {
        System.err.println("Could not find files to clean for " + name);
        outcome.record(Outcome.ERROR);
      }
    }
    return outcome.code();
  }
}
