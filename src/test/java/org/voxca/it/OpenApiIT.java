package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.pki.Certificates;
import org.voxca.testing.OpenApi;
import org.voxca.testing.TestClient;
import org.voxca.testing.TestPki;
import org.voxca.testing.TestServer;

/**
 * Real answers of a running voxca, successes and refusals, checked against docs/openapi.yaml: every
 * status documented, every content type listed, every JSON body fitting its schema — and every
 * documented operation exercised at least once.
 */
class OpenApiIT {
  private static final String CA = "/puppet-ca/v1/";
  @TempDir Path root;
  private final OpenApi api = new OpenApi(Path.of("docs/openapi.yaml"));
  private final List<String> problems = new ArrayList<>();

  @Test
  void everyAnswerConformsAndEveryOperationIsExercised() throws Exception {
    Files.createDirectories(root.resolve("puppet"));
    Files.writeString(root.resolve("puppet/autosign.conf"), "*.auto.test\n");
    try (TestServer s =
        TestServer.builder(root)
            .autosign(root.resolve("puppet/autosign.conf").toString())
            .hocon("certificate-authority { allow-auto-renewal: true }")
            .start()) {
      TestClient anon = s.anonymous();
      TestClient admin = s.admin();
      String pending = TestPki.csr("pending.test").pem();
      KeyPair key = TestPki.freshEcKey();

      check(anon, "GET", CA + "certificate/ca", null);
      check(anon, "GET", CA + "certificate/nobody.test", null);
      check(anon, "GET", CA + "certificate_revocation_list/ca", null);
      check(
          anon,
          "GET",
          CA + "certificate_revocation_list/ca",
          null,
          "If-Modified-Since",
          "Fri, 01 Jan 2100 00:00:00 GMT");
      check(admin, "PUT", CA + "certificate_revocation_list", "not a CRL");
      check(anon, "PUT", CA + "certificate_request/pending.test", pending);
      check(anon, "PUT", CA + "certificate_request/bad.test", "not a CSR");
      check(anon, "GET", CA + "certificate_request/pending.test", null);
      check(anon, "GET", CA + "certificate_request/nobody.test", null);
      check(admin, "DELETE", CA + "certificate_request/nobody.test", null);
      check(anon, "GET", CA + "certificate_request", null);
      check(anon, "PUT", CA + "certificate_request", pending);
      check(anon, "DELETE", CA + "certificate_request", null);
      check(admin, "GET", CA + "certificate_requests/any", null);
      check(admin, "GET", CA + "certificate_status/pending.test", null);
      check(admin, "GET", CA + "certificate_status/nobody.test", null);
      check(anon, "GET", CA + "certificate_status/pending.test", null);
      check(admin, "PUT", CA + "certificate_status/pending.test", "{\"desired_state\":\"bogus\"}");
      check(admin, "PUT", CA + "certificate_status/nobody.test", "{\"desired_state\":\"signed\"}");
      check(admin, "PUT", CA + "certificate_status/pending.test", "{\"desired_state\":\"signed\"}");
      check(admin, "PUT", CA + "certificate_status/pending.test", "{\"desired_state\":\"signed\"}");
      check(admin, "PUT", CA + "certificate_status/pending.test", "x", "Content-Type", "text/html");
      check(admin, "GET", CA + "certificate_status/pending.test", null);
      check(admin, "GET", CA + "certificate_statuses/any", null);
      check(admin, "GET", CA + "certificate_statuses/any?state=requested", null);
      check(admin, "GET", CA + "certificate_statuses", null);
      check(admin, "GET", CA + "certificate_statuses/", null);
      check(admin, "POST", CA + "sign", "{\"certnames\":[\"nobody.test\"]}");
      check(admin, "POST", CA + "sign", "not json");
      check(admin, "POST", CA + "sign/all", "");
      check(admin, "PUT", CA + "clean", "{\"certnames\":[\"pending.test\",\"ghost.test\"]}");
      check(admin, "PUT", CA + "clean", "{}");
      check(admin, "GET", CA + "expirations", null);
      check(
          anon,
          "PUT",
          CA + "certificate_request/a.auto.test",
          TestPki.csr("a.auto.test").key(key).pem());
      X509Certificate a =
          Certificates.readCertificates(anon.get(CA + "certificate/a.auto.test").body()).get(0);
      check(s.client(a, key.getPrivate()), "POST", CA + "certificate_renewal", "");
      check(anon, "POST", CA + "certificate_renewal", "");
      check(anon, "POST", CA + "ocsp", "not OCSP", "Content-Type", "application/ocsp-request");
      check(anon, "GET", CA + "ocsp/bm90IE9DU1A%3D", null);
      check(admin, "POST", "/voxca/v1/ca_extension", "{\"ttl\":0}");
      check(admin, "POST", "/voxca/v1/ca_extension", "{\"ttl\":220000000}");
      check(admin, "GET", "/voxca/v1/ca_rollover", null);
      check(anon, "GET", "/voxca/v1/ca_rollover", null);
      check(admin, "POST", "/voxca/v1/ca_rollover", "{\"action\":\"nothing\"}");
      check(admin, "POST", "/voxca/v1/ca_rollover", "{\"action\":\"abort\"}");
      check(admin, "POST", "/voxca/v1/ca_rollover", "{\"action\":\"prepare\",\"key_type\":\"ec\"}");
      check(admin, "POST", "/voxca/v1/ca_rollover", "{\"action\":\"activate\"}");
      check(admin, "POST", "/voxca/v1/ca_rollover", "{\"action\":\"finish\"}");
      check(admin, "POST", "/voxca/v1/ca_rollover", "{\"action\":\"abort\"}");
      check(admin, "POST", "/voxca/v1/ca_rollover", "{\"action\":\"abort\"}");
      check(admin, "POST", "/voxca/v1/enrolment_tokens", "{\"certname\":\"t.test\",\"uses\":2}");
      check(admin, "POST", "/voxca/v1/enrolment_tokens", "{\"glob\":\"a*\"}");
      check(anon, "POST", "/voxca/v1/enrolment_tokens", "{\"glob\":\"*.test\"}");
      check(admin, "GET", "/voxca/v1/enrolment_tokens", null);
      check(anon, "GET", "/voxca/v1/enrolment_tokens", null);
      check(admin, "DELETE", "/voxca/v1/enrolment_tokens/0000000000000000", null);
      check(anon, "DELETE", "/voxca/v1/enrolment_tokens/0000000000000000", null);
      check(admin, "POST", "/voxca/v1/autosign_check", TestPki.csr("check.test").pem());
      check(admin, "POST", "/voxca/v1/autosign_check", "not a CSR");
      check(anon, "POST", "/voxca/v1/autosign_check", "not a CSR");
      check(admin, "POST", "/voxca/v1/console_links", "");
      check(anon, "POST", "/voxca/v1/console_links", "");
      check(anon, "GET", "/status/v1/simple", null);
      check(anon, "GET", "/status/v1/simple/ca", null);
      check(anon, "GET", "/status/v1/simple/nothing", null);
      check(anon, "GET", "/status/v1/services", null);
      check(anon, "GET", "/status/v1/services/ca", null);
      check(anon, "GET", "/status/v1/services/nothing", null);
      check(admin, "DELETE", CA + "certificate_status/a.auto.test", null);
      check(admin, "DELETE", CA + "certificate_status/nobody.test", null);
    }
    assertThat(problems).isEmpty();
    assertThat(api.checked()).as("operations exercised").isEqualTo(api.operations());
  }

  private void check(TestClient c, String method, String path, String body, String... headers) {
    HttpResponse<String> r = c.send(method, path, body, headers);
    assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isNotEqualTo(500);
    assertThat(r.headers().firstValue("X-Puppet-Version")).as(method + " " + path).isPresent();
    problems.addAll(api.check(method, path, r));
  }
}
