package org.voxca.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.pki.Certificates;
import org.voxca.testing.CliRunner;

/**
 * docs/migration.md on Debian's layout, with the package: a Puppet Server CA in {@code
 * /etc/puppet/puppetserver/ca} (parent {@code 0750 puppet:puppet}) taken over by {@code voxca ca
 * adopt} run as root, then served by the {@code voxca} service user; a real agent is signed by the
 * adopted CA, and the certificates Puppet Server signed are still listed. CI only: it installs a
 * package and writes under /etc.
 */
class DebianMigrationE2EIT {
  private static final Path DEBIAN_CA = Path.of("/etc/puppet/puppetserver/ca");
  @TempDir Path dir;

  @Test
  void aCaInDebiansLayoutIsAdoptedAndServedByTheServiceUser() throws Exception {
    Assumptions.assumeTrue("true".equals(System.getenv("CI")), "installs a package: CI only");
    Assumptions.assumeTrue(
        !Files.exists(DEBIAN_CA) && !Files.exists(Path.of("/etc/puppetlabs/puppetserver/ca")),
        "a Puppet Server CA already lives on this machine");
    Tools.require("puppet");
    // Puppet Server's CA, as its Debian package leaves it
    Path made = dir.resolve("made");
    assertThat(CliRunner.ca(made, List.of(), "setup").code()).isZero();
    assertThat(
            CliRunner.ca(made, List.of(), "generate", "--ca-client", "--certname", "old1.test")
                .code())
        .isZero();
    Files.createDirectories(DEBIAN_CA.getParent());
    Tools.run(60, "cp", "-a", made.resolve("puppetserver/ca").toString(), DEBIAN_CA.toString());
    Tools.run(60, "chown", "-R", "puppet:puppet", DEBIAN_CA.getParent().toString());
    Files.setPosixFilePermissions(
        DEBIAN_CA.getParent(), PosixFilePermissions.fromString("rwxr-x---"));
    X509Certificate puppetCa =
        Certificates.readCertificates(Files.readString(DEBIAN_CA.resolve("ca_crt.pem"))).get(0);

    Path deb = PackageE2EIT.only("target", "voxca_", "_all.deb");
    Process server = null;
    try {
      Tools.Result install = Tools.run(300, "dpkg", "-i", deb.toString());
      assertThat(install.exitCode()).as(install.output()).isZero();
      // the service user cannot even reach Debian's directory: adopt runs as root, as documented
      Tools.Result reach =
          Tools.run(30, "runuser", "-u", "voxca", "--", "test", "-d", DEBIAN_CA.toString());
      assertThat(reach.exitCode()).isNotZero();

      Tools.Result adopt = Tools.run(300, "/usr/bin/voxca", "ca", "adopt");
      assertThat(adopt.exitCode()).as(adopt.output()).isZero();
      assertThat(adopt.output())
          .contains("copied the CA of " + DEBIAN_CA)
          .contains("Adopted the CA in /var/lib/voxca/ca");
      UserPrincipalLookupService users = DEBIAN_CA.getFileSystem().getUserPrincipalLookupService();
      assertThat(Files.getOwner(PackageE2EIT.LIB.resolve("ca/ca_key.pem")))
          .isEqualTo(users.lookupPrincipalByName("voxca"));
      assertThat(Files.readString(PackageE2EIT.LIB.resolve("ca/ca_crt.pem")))
          .isEqualTo(Files.readString(DEBIAN_CA.resolve("ca_crt.pem")));

      server =
          Tools.start(
              dir.resolve("serve.log"), "runuser", "-u", "voxca", "--", "/usr/bin/voxca", "serve");
      PackageE2EIT.awaitRunning(server, dir.resolve("serve.log"));
      String host = PackageE2EIT.serverCertname();
      Path agent = dir.resolve("agent");
      Tools.Result submit =
          Tools.run(
              120,
              Tools.puppetSsl(agent, host, 8140, "migrated.test", "submit_request")
                  .toArray(String[]::new));
      assertThat(submit.exitCode()).as(submit.output()).isZero();
      Tools.Result sign =
          Tools.run(120, "/usr/bin/voxca", "ca", "sign", "--certname", "migrated.test");
      assertThat(sign.exitCode()).as(sign.output()).isZero();
      Tools.Result download =
          Tools.run(
              120,
              Tools.puppetSsl(agent, host, 8140, "migrated.test", "download_cert")
                  .toArray(String[]::new));
      assertThat(download.exitCode()).as(download.output()).isZero();
      X509Certificate issued =
          Certificates.readCertificates(
                  Files.readString(agent.resolve("ssl/certs/migrated.test.pem")))
              .get(0);
      assertThat(issued.getIssuerX500Principal()).isEqualTo(puppetCa.getSubjectX500Principal());
      issued.verify(puppetCa.getPublicKey());
      Tools.Result list = Tools.run(120, "/usr/bin/voxca", "ca", "list", "--all");
      assertThat(list.output()).contains("old1.test").contains("migrated.test");
    } finally {
      if (server != null) {
        server.destroy();
        server.waitFor(30, TimeUnit.SECONDS);
      }
      Tools.run(300, "dpkg", "--purge", "voxca");
      Tools.run(60, "rm", "-rf", PackageE2EIT.LIB.toString(), DEBIAN_CA.getParent().toString());
      Tools.run(60, "userdel", "voxca");
    }
  }
}
