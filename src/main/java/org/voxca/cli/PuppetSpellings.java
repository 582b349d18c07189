package org.voxca.cli;

import picocli.CommandLine.Option;

/**
 * The flags {@code puppetserver ca setup} and {@code import} spell differently from voxca's own:
 * {@code --certname} (the CA server's certname: voxca's {@code --server-certname}) and {@code
 * --subject-alt-names} (the server certificate's alt names: puppet.conf {@code dns_alt_names}), so
 * a Puppet operator's habit works as typed.
 */
final class PuppetSpellings {
  @Option(
      names = "--certname",
      description = "The CA server's certname (as puppetserver ca spells --server-certname)")
  String certname;

  @Option(
      names = "--subject-alt-names",
      description = "Alt names of the server's certificate, e.g. puppet,ca.example.com")
  String subjectAltNames;

  /** Applies what was given over {@code options}' own flags and settings. */
  CliOptions applyTo(CliOptions options) {
    if (certname != null) {
      options.certname = certname;
    }
    if (subjectAltNames != null) {
      options.settings.put("dns_alt_names", subjectAltNames);
    }
    return options;
  }
}
