package org.voxca.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.voxca.testing.TestServer;

/**
 * Debian's {@code puppetserver ca} CLI (ruby-puppetserver-ca-cli), unchanged, pointed at a test
 * server by a puppet.conf naming its ssldir, cadir and port, as on a Puppet Server host: it
 * authenticates with the server's own pp_cli_auth certificate.
 */
final class PuppetserverCa {
  private PuppetserverCa() {}

  /** Writes the puppet.conf for {@code server} under {@code dir}. */
  static Path conf(Path dir, TestServer server) throws Exception {
    Path conf = dir.resolve("puppet.conf");
    Files.writeString(
        conf,
        String.join(
            "\n",
            "[main]",
            "certname = voxca.test",
            "ssldir = " + server.config().ssl().ssldir(),
            "server = localhost",
            "serverport = " + server.port(),
            "[server]",
            "cadir = " + server.cadir(),
            ""));
    return conf;
  }

  /** Runs {@code puppetserver ca <args> --config <conf>}. */
  static Tools.Result run(Path conf, String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "ruby",
                "-e",
                "require 'puppetserver/ca/cli'; exit Puppetserver::Ca::Cli.run(ARGV)",
                "--"));
    cmd.addAll(List.of(args));
    cmd.add("--config");
    cmd.add(conf.toString());
    return Tools.run(120, cmd.toArray(String[]::new));
  }
}
