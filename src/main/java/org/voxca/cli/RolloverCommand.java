package org.voxca.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.voxca.assembly.CaAssembly;
import org.voxca.ca.ManagedCa;
import org.voxca.ca.RolloverPlan;
import org.voxca.ca.RolloverStatus;
import org.voxca.client.PuppetCaClient;
import org.voxca.store.CaInUse;
import org.voxca.store.CaStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code voxca ca rollover status|prepare|activate|abort}: a staged move of the CA to a new key.
 * {@code prepare} publishes the next generation beside the current one (which keeps signing);
 * {@code activate} makes the next key sign; {@code abort} steps back one stage. Through the running
 * server when one holds the CA directory, offline otherwise.
 */
@Command(
    name = "rollover",
    mixinStandardHelpOptions = true,
    description = "Move the CA to a new key in stages: status, prepare, activate, abort.")
final class RolloverCommand implements Callable<Integer> {
  @Mixin CliOptions options;

  @Parameters(index = "0", description = "status, prepare, activate or abort")
  String action;

  @Option(names = "--ca-name", description = "The next CA's CN (default: the current one + G2)")
  String caName;

  @Option(names = "--key-type", description = "rsa or ec (default: the configured CA key)")
  String keyType;

  @Option(names = "--key-length", description = "RSA bits: 2048, 3072 or 4096 (default 4096)")
  Integer keyLength;

  @Option(names = "--curve", description = "EC curve: secp256r1, secp384r1 (default), secp521r1")
  String curve;

  @Override
  public Integer call() throws Exception {
    if (!java.util.Set.of("status", "prepare", "activate", "abort").contains(action)) {
      System.err.println(
          "Error: expected status, prepare, activate or abort, not '" + action + "'");
      return picocli.CommandLine.ExitCode.USAGE;
    }
    if (!action.equals("prepare")
        && (caName != null || keyType != null || keyLength != null || curve != null)) {
      System.err.println("Error: --ca-name, --key-type, --key-length and --curve go with prepare");
      return picocli.CommandLine.ExitCode.USAGE;
    }
    CaAssembly parts = options.assembly();
    CaStore store;
    try {
      store = parts.openStore();
    } catch (CaInUse running) {
      return online();
    }
    return Offline.locked(
        parts,
        locked -> {
          ManagedCa ca = Offline.existingCa(locked, parts);
          if (ca == null) {
            return Outcome.ERROR;
          }
          RolloverStatus s =
              switch (action) {
                case "prepare" -> ca.prepareRollover(plan());
                case "activate" -> ca.activateRollover();
                case "abort" -> ca.abortRollover();
                default -> ca.rolloverStatus();
              };
          if (!action.equals("status")) {
            Offline.finish(locked, ca.issuer(), parts);
          }
          print(s);
          return Outcome.OK;
        },
        store);
  }

  private int online() throws Exception {
    PuppetCaClient client = Online.client(options);
    PuppetCaClient.Reply r =
        action.equals("status")
            ? client.voxca("GET", "ca_rollover", null, "application/json")
            : client.voxca("POST", "ca_rollover", body(), "application/json");
    if (r.status() != 200) {
      System.err.println("Error: the CA answered " + r.status() + ": " + r.body());
      return Outcome.ERROR;
    }
    System.out.println(r.body());
    return Outcome.OK;
  }

  private RolloverPlan plan() {
    if (keyType == null) {
      if (keyLength != null || curve != null) {
        throw new org.voxca.ca.CaException(
            org.voxca.ca.Reason.BAD_REQUEST, "--key-length and --curve need --key-type");
      }
      return new RolloverPlan(caName, RolloverPlan.CONFIGURED_KEY, null);
    }
    return switch (keyType) {
      case "rsa" -> new RolloverPlan(caName, keyLength == null ? 4096 : keyLength, null);
      case "ec" -> new RolloverPlan(caName, 0, curve == null ? "secp384r1" : curve);
      default ->
          throw new org.voxca.ca.CaException(
              org.voxca.ca.Reason.BAD_REQUEST, "--key-type must be rsa or ec");
    };
  }

  private String body() {
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("action", action);
    if (caName != null) {
      b.put("ca_name", caName);
    }
    if (keyType != null) {
      b.put("key_type", keyType);
    }
    if (keyLength != null) {
      b.put("key_length", keyLength);
    }
    if (curve != null) {
      b.put("curve", curve);
    }
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(b);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void print(RolloverStatus s) {
    System.out.println("Rollover: " + s.stage() + (s.since() == null ? "" : " since " + s.since()));
    System.out.println("Signing with: the " + s.signing() + " CA");
    System.out.println("Current CA: " + describe(s.current()));
    if (s.next() != null) {
      System.out.println("Next CA:    " + describe(s.next()));
      System.out.println(
          "The served CA bundle "
              + (s.published() ? "holds" : "does not hold yet")
              + " the next CA");
    }
    s.notes().forEach(n -> System.out.println("Note: " + n));
  }

  private static String describe(RolloverStatus.Generation g) {
    return g.subject()
        + ", "
        + g.key()
        + ", valid until "
        + g.notAfter()
        + ", SHA-256 "
        + g.fingerprint();
  }
}
