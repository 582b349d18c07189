package org.voxca.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.voxca.client.PuppetCaClient;
import org.voxca.config.VoxcaConfig;
import org.voxca.pki.CsrBuilder;
import org.voxca.pki.Keys;
import org.voxca.pki.Pem;
import org.voxca.store.puppetdir.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code voxca ca generate --certname a[,b] [--subject-alt-names x,y] [--ttl 5y]}: a key and CSR
 * made here, submitted and signed through the running CA, saved under the ssldir.
 */
@Command(name = "generate", mixinStandardHelpOptions = true, description = "Generate a key and a signed certificate.")
final class GenerateCommand implements Callable<Integer> {
  @Mixin CliOptions options;

  @Option(names = "--certname", split = ",", required = true, description = "Names to generate")
  List<String> names;

  @Option(names = "--subject-alt-names", split = ",", description = "Alt names (DNS names or IP:addresses)")
  List<String> altNames = new ArrayList<>();

  @Option(names = "--ttl", description = "Lifetime, e.g. 5y, 90d")
  String ttl;

  @Option(names = "--ca-client", description = "Offline: sign an admin (pp_cli_auth) certificate directly with the CA key")
  boolean caClient;

  @Override
  public Integer call() throws Exception {
    VoxcaConfig c = options.load();
    if (caClient) {
      return offline(c);
    }
    PuppetCaClient client = Online.client(options);
    Outcome outcome = new Outcome();
    for (String name : names) {
      org.voxca.ca.NameRules.validateLookup(name);
      Path certFile = c.ssldir().resolve("certs").resolve(name + ".pem");
      Path keyFile = c.ssldir().resolve("private_keys").resolve(name + ".pem");
      if (Files.exists(certFile) || Files.exists(c.signeddir().resolve(name + ".pem"))) {
        System.err.println("Certificate for " + name + " already exists; clean it first");
        outcome.record(Outcome.ERROR);
        continue;
      }
      KeyPair key = Keys.rsa(c.keyLength());
      AtomicFiles.write(keyFile, Pem.encode(key.getPrivate()).getBytes(StandardCharsets.US_ASCII), AtomicFiles.PRIVATE);
      String csr = Pem.encode(CsrBuilder.build(name, key, altNames));
      PuppetCaClient.Reply put = client.put("/puppet-ca/v1/certificate_request/" + PuppetCaClient.segment(name), csr, "text/plain");
      if (put.status() != 200) {
        System.err.println("Could not submit the certificate request for " + name + ": " + put.status() + " " + put.body());
        outcome.record(Outcome.ERROR);
        continue;
      }
      PuppetCaClient.Reply cert = client.get("/puppet-ca/v1/certificate/" + PuppetCaClient.segment(name), "text/plain");
      if (cert.status() == 404) {
        String body = ttl == null ? "{\"desired_state\":\"signed\"}" : "{\"desired_state\":\"signed\",\"cert_ttl\":"
            + org.voxca.config.PuppetDuration.parse("--ttl", ttl).toSeconds() + "}";
        PuppetCaClient.Reply sign = client.put("/puppet-ca/v1/certificate_status/" + PuppetCaClient.segment(name), body, "application/json");
        if (sign.status() != 204) {
          System.err.println("Could not sign " + name + ": " + sign.status() + " " + sign.body());
          outcome.record(Outcome.ERROR);
          continue;
        }
        cert = client.get("/puppet-ca/v1/certificate/" + PuppetCaClient.segment(name), "text/plain");
      }
      if (cert.status() != 200) {
        System.err.println("Signed certificate " + name + " could not be found on the CA");
        outcome.record(Outcome.ERROR);
        continue;
      }
      AtomicFiles.write(certFile, cert.body().getBytes(StandardCharsets.US_ASCII), AtomicFiles.PUBLIC);
      System.out.println("Successfully saved certificate for " + name + " to " + certFile);
      System.out.println("Successfully saved private key for " + name + " to " + keyFile);
    }
    return outcome.code();
  }

  private int offline(VoxcaConfig c) throws Exception {
    return Offline.locked(c, store -> {
      org.voxca.ca.DefaultCertificateAuthority ca = Offline.existingCa(store, c);
      if (ca == null) {
        return Outcome.ERROR;
      }
      Outcome outcome = new Outcome();
      for (String name : names) {
        if (store.certificate(name).isPresent()) {
          System.err.println("Certificate for " + name + " already exists; clean it first");
          outcome.record(Outcome.ERROR);
          continue;
        }
        org.voxca.ca.NameRules.validateLookup(name);
        KeyPair key = Keys.rsa(c.keyLength());
        Path keyFile = c.ssldir().resolve("private_keys").resolve(name + ".pem");
        Path certFile = c.ssldir().resolve("certs").resolve(name + ".pem");
        AtomicFiles.write(keyFile, Pem.encode(key.getPrivate()).getBytes(StandardCharsets.US_ASCII), AtomicFiles.PRIVATE);
        var cert = ca.issueCliClient(name, key.getPublic());
        AtomicFiles.write(certFile, Pem.encode(cert).getBytes(StandardCharsets.US_ASCII), AtomicFiles.PUBLIC);
        System.out.println("Successfully saved admin certificate for " + name + " to " + certFile);
      }
      return outcome.code();
    });
  }
}
