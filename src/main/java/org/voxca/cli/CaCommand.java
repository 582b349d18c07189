package org.voxca.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code voxca ca <verb>}: the operator's CLI, with the {@code puppetserver ca} verbs. Online verbs
 * call the running CA over HTTPS with the server's pp_cli_auth certificate; offline verbs work on
 * the CA directory under its lock.
 */
@Command(
    name = "ca",
    mixinStandardHelpOptions = true,
    description = "Operate the CA (like puppetserver ca).",
    subcommands = {
      ListCommand.class,
      ExpirationsCommand.class,
      ExtendCommand.class,
      RolloverCommand.class,
      DeleteCommand.class,
      EnableCommand.class,
      MigrateCommand.class,
      AdoptCommand.class,
      SignCommand.class,
      RevokeCommand.class,
      CleanCommand.class,
      GenerateCommand.class,
      SetupCommand.class,
      ImportKeyCommand.class,
      ImportCommand.class,
      PruneCommand.class,
      CheckCommand.class,
      AuditCommand.class,
      TokenCommand.class,
      KeyCommand.class,
      AutosignCheckCommand.class,
      ConsoleLinkCommand.class,
      ExportCommand.class
    })
public final class CaCommand implements Runnable {
  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
