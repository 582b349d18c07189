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
    description = "Move the CA to a new key in stages: status, prepare, activate, finish, abort.")
final class RolloverCommand implements Callable<Integer> {
  @Mixin CliOptions options;

  @Parameters(index = "0", description = "status, prepare, activate, abort or finish")
  String action;

  @Option(names = "--ca-name", description = "The next CA's CN (default: the current one + G2)")
  String caName;

  @Option(names = "--key-type", description = "rsa or ec (default: the configured CA key)")
  String keyType;

  @Option(names = "--key-length", description = "RSA bits: 2048, 3072 or 4096 (default 4096)")
  Integer keyLength;

  @Option(names = "--curve", description = "EC curve: secp256r1, secp384r1 (default), secp521r1")
  String curve;

  @Option(
      names = "--root",
      description = "prepare: a two-level CA rolls its root too (a next root signs the next CA)")
  boolean root;

  @Option(names = "--root-name", description = "The next root's CN (default: the current + G2)")
  String rootName;

  @Option(
      names = "--force",
      description =
          "finish: even while certificates of the current CA are valid (they stop verifying)")
  boolean force;

  @Override
  public Integer call() throws Exception {
    if (!java.util.Set.of("status", "prepare", "activate", "abort", "finish").contains(action)) {
      System.err.println(
          "Error: expected status, prepare, activate, abort or finish, not '" + action + "'");
      return picocli.CommandLine.ExitCode.USAGE;
    }
    if (!action.equals("prepare")
        && (caName != null
            || keyType != null
            || keyLength != null
            || curve != null
            || root
            || rootName != null)) {
      System.err.println(
          "Error: --ca-name, --key-type, --key-length, --curve, --root and --root-name go with"
              + " prepare");
      return picocli.CommandLine.ExitCode.USAGE;
    }
    CaAssembly parts = options.assembly();
    CaStore store;
    try {
      store = parts.openStore();
    } catch (CaInUse running) {
      if (action.equals("finish")) {
        System.err.println(
            "Error: " + running.getMessage() + "; a rollover is finished with the server stopped");
        return Outcome.ERROR;
      }
      return online();
    }
    if (force && !action.equals("finish")) {
      System.err.println("Error: --force goes with finish");
      return picocli.CommandLine.ExitCode.USAGE;
    }
    return Offline.locked(
        parts,
        locked -> {
          ManagedCa ca = Offline.existingCa(locked, parts);
          if (ca == null) {
            return Outcome.ERROR;
          }
          if (action.equals("finish")) {
            return finish(locked, ca, parts);
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

  /**
   * Finishes offline: refused while a replica of a shared store said it was alive lately and did
   * not stop cleanly since; then the CA adopted anew, the server's own certificate re-issued under
   * it (which ends the record), the ssldir's copies updated.
   */
  private int finish(CaStore store, ManagedCa ca, CaAssembly parts) {
    java.time.Instant recent =
        java.time.Instant.now().minus(org.voxca.store.Replicated.HEARTBEAT.multipliedBy(2));
    for (var r : org.voxca.store.StoreCapabilities.of(store).replicated().running().entrySet()) {
      if (r.getValue().isAfter(recent)) {
        System.err.println(
            "Error: replica "
                + r.getKey()
                + " was alive at "
                + r.getValue()
                + "; stop every replica before finishing the rollover");
        return Outcome.ERROR;
      }
    }
    RolloverStatus s = ca.finishRollover(force);
    Offline.finish(store, parts.initializeOrAdopt(store), parts);
    print(s);
    System.out.println(
        "The server's own certificate was re-issued by the new CA; start the server(s) now");
    return Outcome.OK;
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
    return keyPlan().withRoot(root, rootName);
  }

  private RolloverPlan keyPlan() {
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
    if (root) {
      b.put("root", true);
    }
    if (rootName != null) {
      b.put("root_name", rootName);
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
      if (s.nextRoot() != null) {
        System.out.println("Next root:  " + describe(s.nextRoot()));
      }
      System.out.println(
          "The served CA bundle "
              + (s.published() ? "holds" : "does not hold yet")
              + " the next CA");
    }
    if (s.fetches() != null) {
      System.out.println(
          "Agents that fetched it since "
              + s.fetches().since()
              + " (this server): "
              + s.fetches().bundle()
              + " the CA bundle, "
              + s.fetches().crl()
              + " the CRL");
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
