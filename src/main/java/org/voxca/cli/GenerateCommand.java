package org.voxca.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.voxca.assembly.CaAssembly;
import org.voxca.ca.ManagedCa;
import org.voxca.ca.NameRules;
import org.voxca.client.PuppetCaClient;
import org.voxca.config.PuppetDuration;
import org.voxca.config.VoxcaConfig;
import org.voxca.files.AtomicFiles;
import org.voxca.pki.CsrBuilder;
import org.voxca.pki.Pem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code voxca ca generate --certname a[,b] [--subject-alt-names x,y] [--ttl 5y]}: a key and CSR
 * made here, submitted and signed through the running CA, saved under the ssldir.
 */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = "Generate a key and a signed certificate.")
final class GenerateCommand implements Callable<Integer> {
  @Mixin CliOptions options;

  @Option(names = "--certname", split = ",", required = true, description = "Names to generate")
  List<String> names;

  @Option(
      names = "--subject-alt-names",
      split = ",",
      description = "Alt names (DNS names or IP:addresses)")
  List<String> altNames = new ArrayList<>();

  @Option(names = "--ttl", description = "Lifetime, e.g. 5y, 90d")
  String ttl;

  @Option(
      names = "--ca-client",
      description = "Offline: sign an admin (pp_cli_auth) certificate directly with the CA key")
  boolean caClient;

  @Override
  public Integer call() throws Exception {
    CaAssembly parts = options.assembly();
    if (caClient) {
      return offline(parts);
    }
    VoxcaConfig c = parts.config();
    PuppetCaClient client = Online.client(options);
    Long seconds = ttl == null ? null : PuppetDuration.parse("--ttl", ttl).toSeconds();
    Outcome outcome = new Outcome();
    for (String name : names) {
      NameRules.validateLookup(name);
      Path certFile = certFile(c, name);
      if (Files.exists(certFile) || Files.exists(c.store().signeddir().resolve(name + ".pem"))) {
        System.err.println("Certificate for " + name + " already exists; clean it first");
        outcome.record(Outcome.ERROR);
        continue;
      }
      KeyPair key = newKey(parts, name);
      PuppetCaClient.Reply put =
          client.submitCsr(name, Pem.encode(CsrBuilder.build(name, key, altNames)));
      if (put.status() != 200) {
        System.err.println(
            "Could not submit the certificate request for "
                + name
                + ": "
                + put.status()
                + " "
                + put.body());
        outcome.record(Outcome.ERROR);
        continue;
      }
      PuppetCaClient.Reply cert = client.certificate(name);
      if (cert.status() == 404) {
        PuppetCaClient.Reply sign = client.sign(name, seconds);
        if (sign.status() != 204) {
          System.err.println("Could not sign " + name + ": " + sign.status() + " " + sign.body());
          outcome.record(Outcome.ERROR);
          continue;
        }
        cert = client.certificate(name);
      }
      if (cert.status() != 200) {
        System.err.println("Signed certificate " + name + " could not be found on the CA");
        outcome.record(Outcome.ERROR);
        continue;
      }
      AtomicFiles.write(certFile, ascii(cert.body()), AtomicFiles.PUBLIC);
      System.out.println("Successfully saved certificate for " + name + " to " + certFile);
      System.out.println("Successfully saved private key for " + name + " to " + keyFile(c, name));
    }
    return outcome.code();
  }

  private int offline(CaAssembly parts) throws Exception {
    VoxcaConfig c = parts.config();
    return Offline.locked(
        parts,
        store -> {
          ManagedCa ca = Offline.existingCa(store, parts);
          if (ca == null) {
            return Outcome.ERROR;
          }
          Outcome outcome = new Outcome();
          for (String name : names) {
            NameRules.validateLookup(name);
            if (store.records().certificate(name).isPresent()) {
              System.err.println("Certificate for " + name + " already exists; clean it first");
              outcome.record(Outcome.ERROR);
              continue;
            }
            KeyPair key = newKey(parts, name);
            X509Certificate cert = ca.issueCliClient(name, key.getPublic());
            AtomicFiles.write(certFile(c, name), ascii(Pem.encode(cert)), AtomicFiles.PUBLIC);
            System.out.println(
                "Successfully saved admin certificate for " + name + " to " + certFile(c, name));
          }
          return outcome.code();
        });
  }

  /** A new key, written owner-only under the ssldir before anything else happens. */
  private static KeyPair newKey(CaAssembly parts, String name) {
    KeyPair key = parts.settings().newKey();
    AtomicFiles.write(
        keyFile(parts.config(), name), ascii(Pem.encode(key.getPrivate())), AtomicFiles.PRIVATE);
    return key;
  }

  private static Path certFile(VoxcaConfig c, String name) {
    return c.ssl().ssldir().resolve("certs").resolve(name + ".pem");
  }

  private static Path keyFile(VoxcaConfig c, String name) {
    return c.ssl().ssldir().resolve("private_keys").resolve(name + ".pem");
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
