package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.testing.CliRunner;
import org.voxca.testing.CliRunner.Run;

/**
 * {@code voxca ca adopt}: a Puppet Server CA directory taken over into voxca's store — the CA, its
 * certificates and key copied, a host certificate an earlier CA signed moved aside, the result
 * checked, ownership handed to the service user — and every refusal says why, changing nothing.
 */
class AdoptIT {
  @TempDir Path dir;

  private static Run ca(Path root, String... args) {
    return CliRunner.ca(root, java.util.List.of(), args);
  }

  /** A Puppet-layout CA directory with one signed certificate, as Puppet Server leaves it. */
  private Path puppetCa(String name) {
    Path root = dir.resolve(name);
    assertThat(ca(root, "setup").code()).isZero();
    assertThat(ca(root, "generate", "--ca-client", "--certname", "agent1.test").code()).isZero();
    return root.resolve("puppetserver/ca");
  }

  @Test
  void aPuppetCaIsTakenOverAndAStaleHostCertificateMovedAside() throws Exception {
    Path puppet = puppetCa("puppetserver");
    // voxca's own data: a host certificate from an earlier CA, and no CA any more
    Path voxca = dir.resolve("voxca");
    assertThat(ca(voxca, "setup").code()).isZero();
    try (Stream<Path> old = Files.walk(voxca.resolve("puppetserver/ca"))) {
      old.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    Path hostcert = voxca.resolve("puppet/ssl/certs/voxca.test.pem");
    assertThat(hostcert).exists();

    Run adopt = ca(voxca, "adopt", "--from", puppet.toString());
    assertThat(adopt.code()).as(adopt.err()).isZero();
    assertThat(adopt.out())
        .contains("copied the CA of " + puppet)
        .contains("certificates")
        .contains("moved aside a host certificate an earlier CA signed: " + hostcert)
        .contains("Adopted the CA in");
    Path cadir = voxca.resolve("puppetserver/ca");
    assertThat(Files.readString(cadir.resolve("ca_crt.pem")))
        .isEqualTo(Files.readString(puppet.resolve("ca_crt.pem")));
    assertThat(cadir.resolve("signed/agent1.test.pem")).exists();
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(cadir.resolve("ca_key.pem"))))
        .isIn("rw-------", "rw-r-----");
    assertThat(hostcert).doesNotExist();
    try (Stream<Path> aside = Files.list(hostcert.getParent())) {
      assertThat(aside.map(p -> p.getFileName().toString()))
          .anyMatch(n -> n.startsWith("voxca.test.pem.before-adopt-"));
    }
    Run check = ca(voxca, "check");
    assertThat(check.code()).as(check.out() + check.err()).isZero();

    // once more: the store holds a CA now, and nothing is overwritten
    Run again = ca(voxca, "adopt", "--from", puppet.toString());
    assertThat(again.code()).isEqualTo(1);
    assertThat(again.err()).contains("already holds a CA").contains("nothing was adopted");
  }

  @Test
  void whatIsNotAPuppetCaIsRefusedWithItsReason() throws Exception {
    Path voxca = dir.resolve("refusals");
    Run missing = ca(voxca, "adopt", "--from", dir.resolve("nowhere/ca").toString());
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err()).contains("does not exist");
    Path empty = Files.createDirectories(dir.resolve("empty/ca"));
    Run notCa = ca(voxca, "adopt", "--from", empty.toString());
    assertThat(notCa.code()).isEqualTo(1);
    assertThat(notCa.err()).contains("holds no ca_crt.pem: not a Puppet CA directory");
    assertThat(voxca.resolve("puppetserver/ca/ca_crt.pem")).doesNotExist();
  }

  @Test
  void runAsRootTheCaBecomesTheServiceUsers() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "only root can hand files over");
    Path puppet = puppetCa("owned");
    Path voxca = dir.resolve("service");
    Path parent = Files.createDirectories(voxca.resolve("puppetserver"));
    UserPrincipal nobody =
        parent.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
    Files.setOwner(parent, nobody);
    Run adopt = ca(voxca, "adopt", "--from", puppet.toString());
    assertThat(adopt.code()).as(adopt.err()).isZero();
    assertThat(adopt.out()).contains("owned by nobody:");
    try (Stream<Path> all = Files.walk(voxca.resolve("puppetserver/ca"))) {
      assertThat(all).allSatisfy(p -> assertThat(Files.getOwner(p)).isEqualTo(nobody));
    }
  }
}
