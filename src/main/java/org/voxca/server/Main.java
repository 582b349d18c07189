package org.voxca.server;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code voxca}: the server ({@code serve}) and, in time, the operator's CLI ({@code ca}). */
@Command(name = "voxca", mixinStandardHelpOptions = true, version = "voxca 0.1.0",
    description = "A certificate authority speaking the Puppet / OpenVox Server CA API.",
    subcommands = {ServeCommand.class, org.voxca.cli.CaCommand.class})
public final class Main implements Runnable {
  public static void main(String[] args) {
    int code = new CommandLine(new Main())
        .setExecutionExceptionHandler((e, cmd, parsed) -> {
          cmd.getErr().println("Error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
          return 1;
        })
        .execute(args);
    if (code != 0 || !ServeCommand.serving()) {
      System.exit(code);
    }
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
