package org.voxca.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.voxca.cli.CaCommand;
import picocli.CommandLine;

/** Runs {@code voxca ca <verb>} in-process against a test root, capturing its output. */
public final class CliRunner {
  private CliRunner() {}

  /** Exit code and what the verb printed. */
  public record Run(int code, String out, String err) {}

  /** The verb with the test root's confdir, certname voxca.test, RSA-2048 keys, and extra args. */
  /**
   * {@code voxca ca import} of the CA in {@code cadir} (its bundle, key and CRL chain, as files),
   * into {@code root} with {@code extra} options.
   */
  public static Run importCa(Path root, List<String> extra, Path cadir) {
    return ca(
        root,
        extra,
        "import",
        "--cert-bundle",
        cadir.resolve("ca_crt.pem").toString(),
        "--private-key",
        cadir.resolve("ca_key.pem").toString(),
        "--crl-chain",
        cadir.resolve("ca_crl.pem").toString());
  }

  public static synchronized Run ca(Path root, List<String> extra, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(
        List.of(
            "--confdir",
            root.resolve("puppet").toString(),
            "--server-certname",
            "voxca.test",
            "--setting",
            "keylength=2048",
            "--setting",
            "dns_alt_names=localhost,IP:127.0.0.1"));
    all.addAll(extra);
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    System.setOut(new PrintStream(o, true));
    System.setErr(new PrintStream(e, true));
    try {
      return new Run(
          new CommandLine(new CaCommand()).execute(all.toArray(String[]::new)),
          o.toString(),
          e.toString());
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }
}
