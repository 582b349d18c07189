package org.voxca.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.testing.TestReplicas;

/**
 * Debian's puppet-agent against two replicas on one database: it submits its CSR to replica B, an
 * operator signs it on replica A, and the agent downloads its certificate from B — a certificate
 * that {@code openssl verify -crl_check_all} accepts with the CA and CRL B served.
 */
class ReplicasE2EIT {
  @TempDir Path dir;

  @Test
  void anAgentOnBIsSignedOnA() throws Exception {
    Tools.require("puppet");
    Tools.require("openssl");
    try (TestReplicas r = TestReplicas.start(dir.resolve("replicas"), "false")) {
      Path agent = dir.resolve("agent");
      Tools.Result submit =
          Tools.run(
              120,
              Tools.puppetSsl(agent, r.b.port(), "agent.replica.test", "submit_request")
                  .toArray(String[]::new));
      assertThat(submit.exitCode()).as(submit.output()).isZero();
      assertThat(
              r.a
                  .admin()
                  .put(
                      "/puppet-ca/v1/certificate_status/agent.replica.test",
                      "{\"desired_state\":\"signed\"}")
                  .statusCode())
          .isEqualTo(204);
      Tools.Result download =
          Tools.run(
              120,
              Tools.puppetSsl(agent, r.b.port(), "agent.replica.test", "download_cert")
                  .toArray(String[]::new));
      assertThat(download.exitCode()).as(download.output()).isZero();
      Path ssl = agent.resolve("ssl");
      Tools.Result v =
          Tools.verifyWithCrls(
              ssl.resolve("certs/ca.pem"),
              ssl.resolve("crl.pem"),
              ssl.resolve("certs/agent.replica.test.pem"));
      assertThat(v.exitCode()).as(v.output()).isZero();
      // and replica A's TLS knows the agent: puppet ssl verify against A
      Tools.Result verifyOnA =
          Tools.run(
              120,
              Tools.puppetSsl(agent, r.a.port(), "agent.replica.test", "verify")
                  .toArray(String[]::new));
      assertThat(verifyOnA.exitCode()).as(verifyOnA.output()).isZero();
    }
  }

  /** With the CA key sealed in the database: neither replica has it as a file, agents bootstrap. */
  @Test
  void anAgentBootstrapsAgainstReplicasSharingAnEncryptedKey() throws Exception {
    Tools.require("puppet");
    Path pass = Files.writeString(dir.resolve("passphrase"), "replicas share this\n");
    Files.setPosixFilePermissions(pass, PosixFilePermissions.fromString("rw-------"));
    String hocon = "voxca { ca-key { type: encrypted, passphrase-file: \"" + pass + "\" } }\n";
    try (TestReplicas r = TestReplicas.start(dir.resolve("sealed"), "true", hocon)) {
      assertThat(r.a.cadir().resolve("ca_key.pem")).doesNotExist();
      assertThat(r.b.cadir().resolve("ca_key.pem")).doesNotExist();
      Path agent = dir.resolve("sealed-agent");
      Tools.Result boot =
          Tools.run(
              180,
              Tools.puppetSsl(agent, r.b.port(), "agent.sealed.test", "bootstrap")
                  .toArray(String[]::new));
      assertThat(boot.exitCode()).as(boot.output()).isZero();
      Path ssl = agent.resolve("ssl");
      Tools.Result v =
          Tools.verifyWithCrls(
              ssl.resolve("certs/ca.pem"),
              ssl.resolve("crl.pem"),
              ssl.resolve("certs/agent.sealed.test.pem"));
      assertThat(v.exitCode()).as(v.output()).isZero();
      Tools.Result onA =
          Tools.run(
              120,
              Tools.puppetSsl(agent, r.a.port(), "agent.sealed.test", "verify")
                  .toArray(String[]::new));
      assertThat(onA.exitCode()).as(onA.output()).isZero();
    }
  }
}
