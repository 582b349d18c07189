package org.voxca.cli;

import java.nio.file.Path;
import org.voxca.config.VoxcaConfig;
import picocli.CommandLine.Option;

/**
 * A PKCS#11 token named on the command line ({@code --pkcs11 [LIBRARY] --token-label … --pin-file
 * …}), over {@code voxca { ca-key { … } }} in the configuration: what {@code setup} makes the key
 * in and {@code import-key} moves it to.
 */
final class TokenOptions {
  @Option(
      names = "--pkcs11",
      arity = "0..1",
      paramLabel = "LIBRARY",
      fallbackValue = "/usr/lib/softhsm/libsofthsm2.so",
      description = "Keep the CA key in a PKCS#11 token, through this module (default SoftHSM2's)")
  Path library;

  @Option(names = "--token-label", description = "The token's label")
  String tokenLabel;

  @Option(names = "--key-label", description = "The CA key's label in the token (default voxca-ca)")
  String keyLabel;

  @Option(names = "--pin-file", description = "A file holding the token's user PIN")
  Path pinFile;

  /** True when a token was named here. */
  boolean named() {
    return library != null;
  }

  /** Sets the token's keys over {@code options}' configuration. */
  void applyTo(CliOptions options) {
    if (!named()) {
      return;
    }
    options.hocon.put("voxca.ca-key.type", "pkcs11");
    options.hocon.put("voxca.ca-key.library", library.toAbsolutePath().toString());
    if (tokenLabel != null) {
      options.hocon.put("voxca.ca-key.token-label", tokenLabel);
    }
    if (keyLabel != null) {
      options.hocon.put("voxca.ca-key.key-label", keyLabel);
    }
    if (pinFile != null) {
      options.hocon.put("voxca.ca-key.pin-file", pinFile.toAbsolutePath().toString());
    }
  }

  /** The lines an operator gives the server for the token {@code p}. */
  static String hocon(VoxcaConfig.Pkcs11 p) {
    return "voxca { ca-key { type: pkcs11, library: \""
        + p.library()
        + "\", token-label: \""
        + p.tokenLabel()
        + "\", key-label: \""
        + p.keyLabel()
        + "\", pin-file: \""
        + p.pinFile()
        + "\" } }";
  }
}
