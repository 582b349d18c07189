package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.testing.RawTls;
import org.voxca.testing.TestClient;
import org.voxca.testing.TestPki;
import org.voxca.testing.TestServer;

/**
 * The request sequences of the API's other known clients, as they send them: Foreman's smart proxy
 * ({@code puppetca_http_api}), Choria's {@code puppetsec}, go-puppetca (terraform's puppetca
 * provider) and the {@code X-Puppet-Version} every Puppet Server answer carries.
 */
class ClientCompatibilityIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dir;
  static TestServer server;
  static TestClient admin;
  static TestClient anon;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.builder(dir).start();
    admin = server.admin();
    anon = server.anonymous();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static void submit(String name) {
    assertThat(
            anon.put("/puppet-ca/v1/certificate_request/" + name, TestPki.csr(name).pem())
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void foremanSmartProxyListsSignsAndCleans() throws Exception {
    submit("foreman-host.test");
    // search: GET certificate_statuses/<ignored key>, Accept: application/json, 200 JSON
    HttpResponse<String> list =
        admin.get("/puppet-ca/v1/certificate_statuses/foreman", "Accept", "application/json");
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(list.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    JsonNode all = JSON.readTree(list.body());
    assertThat(all.findValuesAsText("name")).contains("foreman-host.test");
    // sign: PUT {"desired_state":"signed"} with JSON headers, expects 204
    HttpResponse<String> sign =
        admin.send(
            "PUT",
            "/puppet-ca/v1/certificate_status/foreman-host.test",
            "{\"desired_state\":\"signed\"}",
            "Accept",
            "application/json",
            "Content-type",
            "application/json");
    assertThat(sign.statusCode()).isEqualTo(204);
    // clean: revoke (204, 404 or 409 accepted), then DELETE (204 or 404)
    HttpResponse<String> revoke =
        admin.send(
            "PUT",
            "/puppet-ca/v1/certificate_status/foreman-host.test",
            "{\"desired_state\":\"revoked\"}",
            "Accept",
            "application/json",
            "Content-type",
            "application/json");
    assertThat(revoke.statusCode()).isEqualTo(204);
    HttpResponse<String> delete =
        admin.send(
            "DELETE",
            "/puppet-ca/v1/certificate_status/foreman-host.test",
            null,
            "Accept",
            "application/json");
    assertThat(delete.statusCode()).isEqualTo(204);
    assertThat(admin.get("/puppet-ca/v1/certificate_status/foreman-host.test").statusCode())
        .isEqualTo(404);
    // cleaning a name that is gone: 404 on both, which Foreman accepts
    assertThat(
            admin
                .send(
                    "PUT",
                    "/puppet-ca/v1/certificate_status/gone.test",
                    "{\"desired_state\":\"revoked\"}",
                    "Content-type",
                    "application/json")
                .statusCode())
        .isEqualTo(404);
    assertThat(admin.delete("/puppet-ca/v1/certificate_status/gone.test").statusCode())
        .isEqualTo(404);
  }

  @Test
  void choriaAddsAnEnvironmentParameter() {
    String name = "choria-node.test";
    assertThat(
            anon.put(
                    "/puppet-ca/v1/certificate_request/" + name + "?environment=production",
                    TestPki.csr(name).pem(),
                    "Content-Type",
                    "text/plain")
                .statusCode())
        .isEqualTo(200);
    assertThat(
            anon.get("/puppet-ca/v1/certificate/" + name + "?environment=production").statusCode())
        .isEqualTo(404);
    assertThat(
            admin
                .put("/puppet-ca/v1/certificate_status/" + name, "{\"desired_state\":\"signed\"}")
                .statusCode())
        .isEqualTo(204);
    HttpResponse<String> cert =
        anon.get("/puppet-ca/v1/certificate/" + name + "?environment=production");
    assertThat(cert.statusCode()).isEqualTo(200);
    assertThat(cert.body()).startsWith("-----BEGIN CERTIFICATE-----");
    assertThat(anon.get("/puppet-ca/v1/certificate/ca?environment=production").statusCode())
        .isEqualTo(200);
  }

  @Test
  void psonClientsGetPson() throws Exception {
    submit("pson-node.test");
    HttpResponse<String> one =
        admin.get("/puppet-ca/v1/certificate_status/pson-node.test", "Accept", "text/pson");
    assertThat(one.statusCode()).isEqualTo(200);
    assertThat(one.headers().firstValue("Content-Type")).hasValue("text/pson");
    assertThat(JSON.readTree(one.body()).path("state").asText()).isEqualTo("requested");
    HttpResponse<String> many =
        admin.get("/puppet-ca/v1/certificate_statuses/any", "Accept", "pson");
    assertThat(many.headers().firstValue("Content-Type")).hasValue("pson");
    HttpResponse<String> sign =
        admin.send(
            "PUT",
            "/puppet-ca/v1/certificate_status/pson-node.test",
            "{\"desired_state\":\"signed\"}",
            "Content-Type",
            "text/pson",
            "Accept",
            "text/pson");
    assertThat(sign.statusCode()).isEqualTo(204);
    assertThat(
            admin
                .get(
                    "/puppet-ca/v1/certificate_status/pson-node.test",
                    "Accept",
                    "application/json, text/pson")
                .headers()
                .firstValue("Content-Type"))
        .hasValue("application/json");
  }

  @Test
  void everyAnswerCarriesXPuppetVersion() throws Exception {
    for (HttpResponse<String> r :
        new HttpResponse[] {
          anon.get("/puppet-ca/v1/certificate/ca"),
          anon.get("/puppet-ca/v1/certificate/nobody.test"),
          anon.get("/puppet-ca/v1/certificate_statuses/any"),
          anon.get("/puppet-ca/v1/certificate/UPPER"),
          anon.get("/status/v1/simple")
        }) {
      assertThat(r.headers().firstValue("X-Puppet-Version"))
          .as("%s %d", r.uri(), r.statusCode())
          .hasValue("8.8.0");
    }
    try (RawTls t = RawTls.open(server.port(), server.caBundle(), null)) {
      t.write("GET /puppet-ca/v1/%zz HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(t.readAll(2000)).startsWith("HTTP/1.1 400").contains("X-Puppet-Version: 8.8.0");
    }
  }
}
