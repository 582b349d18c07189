package org.voxca;

import java.util.ArrayList;
import java.util.List;
import org.voxca.cli.CaCommand;
import org.voxca.server.ServeCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code voxca}: the server ({@code serve}) and, in time, the operator's CLI ({@code ca}). */
@Command(
    name = "voxca",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "A certificate authority speaking the Puppet / OpenVox Server CA API.",
    subcommands = {ServeCommand.class, CaCommand.class})
public final class Main implements Runnable {
  public static void main(String[] args) {
    int code = commandLine().execute(args);
    if (code != 0 || !ServeCommand.serving()) {
      System.exit(code);
    }
  }

  /**
   * The root command; an unexpected failure prints one line, {@code Error: <message>}, and exits 1.
   */
  static CommandLine commandLine() {
    CommandLine root = new CommandLine(new Main());
    CommandLine serve = root.getSubcommands().get("serve");
    serve
        .getHelpSectionMap()
        .put("inEffect", help -> ((ServeCommand) serve.getCommand()).inEffect());
    List<String> sections = new ArrayList<>(serve.getHelpSectionKeys());
    sections.add("inEffect");
    serve.setHelpSectionKeys(sections);
    return root.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          cmd.getErr()
              .println("Error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
          return 1;
        });
  }

  /**
   * The build's own version (the jar's Implementation-Version, which the Debian package's version
   * repeats with {@code ~} for {@code -}): one version string, never a second one written here.
   */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"voxca " + (v == null ? "(a development build)" : v)};
    }
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
