package org.voxca.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.voxca.assembly.CaAssembly;
import org.voxca.pki.PkiException;
import org.voxca.pki.TokenReference;
import org.voxca.store.KeyProtection;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code voxca ca key --rotate-passphrase FILE | --decrypt} (offline): the CA's private keys
 * ({@code ca_key.pem}, and {@code root_key.pem} of a two-level CA) re-encrypted under the
 * passphrase in FILE, or written plain again for Puppet Server. Each file is read with the
 * configured protection and replaced atomically; a wrong passphrase changes nothing.
 */
@Command(
    name = "key",
    mixinStandardHelpOptions = true,
    description = "Re-encrypt the CA key under a new passphrase, or write it plain again.")
final class KeyCommand implements Callable<Integer> {
  @Mixin CliOptions options;

  @ArgGroup(multiplicity = "1")
  Action action;

  static final class Action {
    @Option(
        names = "--rotate-passphrase",
        paramLabel = "FILE",
        description = "Re-encrypt under the passphrase in FILE (then point passphrase-file at it)")
    Path newPassphrase;

    @Option(names = "--decrypt", description = "Write the keys plain, as Puppet Server reads them")
    boolean decrypt;
  }

  @Override
  public Integer call() throws Exception {
    CaAssembly parts = options.assembly();
    KeyProtection next =
        action.decrypt
            ? KeyProtection.PLAIN
            : KeyProtection.passphrase(Files.readString(action.newPassphrase).strip());
    KeyProtection now = parts.keyProtection();
    return Offline.locked(
        parts,
        store -> {
          if (Offline.complete(store)
              && TokenReference.is(store.documents().readCa().privateKeyPem())) {
            System.err.println(
                "Error: the CA key lives in a PKCS#11 token: there is no key file to encrypt or"
                    + " decrypt");
            return Outcome.ERROR;
          }
          try {
            store.documents().rewriteKeys(next);
          } catch (PkiException e) { // read with the configured protection first: nothing written
            System.err.println("Error: " + e.getMessage());
            return Outcome.ERROR;
          }
          System.out.println(
              (action.decrypt
                      ? "Wrote the CA keys plain under "
                      : "Re-encrypted the CA keys under ")
                  + parts.config().store().cadir()
                  + (now.encrypts() && !action.decrypt
                      ? " (and in the database, when kept there)"
                      : ""));
          System.out.println(
              action.decrypt
                  ? "The keys are plain now: set voxca { ca-key { type: file } } (Puppet Server"
                      + " reads them as they are), and protect the files"
                  : "Now set voxca { ca-key { passphrase-file: \""
                      + action.newPassphrase.toAbsolutePath()
                      + "\" } } (or copy it over the old file) before the next start");
          return Outcome.OK;
        });
  }
}
