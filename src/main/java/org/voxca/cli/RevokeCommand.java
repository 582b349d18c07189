package org.voxca.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.voxca.client.PuppetCaClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code voxca ca revoke --certname a,b}: 0 revoked, 1 unknown name, 24 only a CSR. */
@Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke certificates.")
final class RevokeCommand implements Callable<Integer> {
  @Mixin CliOptions options;

  @Option(names = "--certname", split = ",", required = true, description = "Names to revoke")
  List<String> names;

  @Override
  public Integer call() throws Exception {
    PuppetCaClient client = Online.client(options);
    Outcome outcome = new Outcome();
    for (String name : names) {
      outcome.record(revoke(client, name));
    }
    return outcome.code();
  }

  static int revoke(PuppetCaClient client, String name) throws Exception {
    PuppetCaClient.Reply r = client.revoke(name);
    switch (r.status()) {
      case 200, 204 -> {
        System.out.println("Certificate for " + name + " has been revoked");
        return Outcome.OK;
      }
      case 404 -> {
        System.err.println("Could not find certificate for " + name);
        return Outcome.ERROR;
      }
      case 409 -> {
        // Puppet's words for a name with only a CSR; any other refusal in the server's own
        // (the CA server's certificate, say: the answer tells how to replace it)
        System.err.println(
            r.body().startsWith("Cannot revoke certificate for host")
                ? "Could not revoke unsigned csr for " + name
                : "Could not revoke " + name + ": " + r.body());
        return Outcome.INVALID;
      }
      default -> {
        System.err.println(
            "When revoking " + name + ", received code " + r.status() + ": " + r.body());
        return Outcome.ERROR;
      }
    }
  }
}
