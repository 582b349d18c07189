package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.testing.CuttingProxy;
import org.voxca.testing.TestDatabase;
import org.voxca.testing.TestPki;
import org.voxca.testing.TestServer;

/**
 * A 503 means nothing was committed: when the database commits a certificate but the answer to the
 * commit is lost, voxca asks the database before answering, and the agent gets its 200.
 */
class CommitOutcomeIT {
  private static final String CA = "/puppet-ca/v1/";
  @TempDir Path root;

  @Test
  void aCommitWhoseAnswerIsLostIsLookedUpBeforeAnswering() throws Exception {
    try (TestDatabase db = TestDatabase.create();
        CuttingProxy proxy = new CuttingProxy(db.port());
        TestServer s =
            TestServer.builder(root)
                .autosign("true")
                .hocon(db.hoconVia(root, proxy.port()))
                .start()) {
      proxy.armAfter("INSERT INTO certificates");
      HttpResponse<String> put =
          s.anonymous().put(CA + "certificate_request/lost.test", TestPki.csr("lost.test").pem());
      assertThat(proxy.didCut()).as("the commit's answer was lost").isTrue();
      assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
      assertThat(s.anonymous().get(CA + "certificate/lost.test").statusCode()).isEqualTo(200);
    }
  }
}
