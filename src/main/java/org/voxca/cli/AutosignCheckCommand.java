package org.voxca.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.voxca.client.PuppetCaClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code voxca ca autosign-check --csr FILE}: what autosigning would decide for this CSR now, and
 * why, without storing it or using a token (a policy executable does run). Exit 0 when it would be
 * signed, 1 when it would stay pending.
 */
@Command(
    name = "autosign-check",
    mixinStandardHelpOptions = true,
    description = "Dry run: would this CSR be autosigned, and why.")
final class AutosignCheckCommand implements Callable<Integer> {
  @Mixin CliOptions options;

  @Option(names = "--csr", required = true, description = "The CSR, PEM")
  Path csr;

  @Override
  public Integer call() throws Exception {
    String pem = Files.readString(csr);
    PuppetCaClient.Reply r =
        Online.client(options).voxca("POST", "autosign_check", pem, "text/plain");
    if (r.status() != 200) {
      System.err.println("Error: the CA answered " + r.status() + ": " + r.body());
      return Outcome.ERROR;
    }
    JsonNode d = new ObjectMapper().readTree(r.body());
    boolean sign = d.path("autosign").asBoolean();
    System.out.println(
        (sign ? "would be signed: " : "would stay pending: ") + d.path("reason").asText());
    return sign ? Outcome.OK : Outcome.ERROR;
  }
}
