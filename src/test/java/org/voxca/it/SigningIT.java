package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.voxca.pki.Certificates;
import org.voxca.pki.KeyIds;
import org.voxca.pki.Keys;
import org.voxca.pki.San;
import org.voxca.testing.TestClient;
import org.voxca.testing.TestPki;
import org.voxca.testing.TestServer;

/** Autosigned CSRs: the certificate profile (docs/behaviour.md) and the CSR rules, over HTTPS. */
class SigningIT {
  @TempDir static Path dir;
  static TestServer server;
  static TestClient anon;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.builder(dir).autosign("true").start();
    anon = server.anonymous();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static X509Certificate signed(String name) {
    HttpResponse<String> r = anon.get("/puppet-ca/v1/certificate/" + name);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return Certificates.readCertificates(r.body()).get(0);
  }

  @Test
  void signsWithPuppetsProfile() throws Exception {
    String csr =
        TestPki.csr("agent1.example.com")
            .dns("agent1.example.com")
            .extension("1.3.6.1.4.1.34380.1.1.1", false, "ED803750-E3C7-44F5-BB08-41A04433FE2E")
            .extension("1.3.6.1.4.1.34380.1.2.1", true, "private-value")
            .pem();
    Instant before = Instant.now();
    assertThat(anon.put("/puppet-ca/v1/certificate_request/agent1.example.com", csr).statusCode())
        .isEqualTo(200);
    X509Certificate c = signed("agent1.example.com");

    assertThat(c.getVersion()).isEqualTo(3);
    assertThat(c.getSigAlgName()).isEqualTo("SHA256withRSA");
    assertThat(c.getSubjectX500Principal().getName()).isEqualTo("CN=agent1.example.com");
    assertThat(c.getIssuerX500Principal())
        .isEqualTo(server.issuer().certificate().getSubjectX500Principal());
    c.verify(server.issuer().certificate().getPublicKey());
    assertThat(Duration.between(c.getNotBefore().toInstant(), before).toHours())
        .isBetween(23L, 24L);
    assertThat(Duration.between(before, c.getNotAfter().toInstant()).toDays())
        .isBetween(5 * 365L - 2, 5 * 365L);
    assertThat(c.getPublicKey().getEncoded()).isEqualTo(TestPki.ecKey().getPublic().getEncoded());

    assertThat(c.getCriticalExtensionOIDs())
        .containsExactlyInAnyOrder(
            "2.5.29.19", "2.5.29.37", "2.5.29.15", "1.3.6.1.4.1.34380.1.2.1");
    assertThat(c.getNonCriticalExtensionOIDs())
        .containsExactlyInAnyOrder(
            "2.16.840.1.113730.1.13",
            "2.5.29.35",
            "2.5.29.14",
            "2.5.29.17",
            "1.3.6.1.4.1.34380.1.1.1");
    assertThat(c.getBasicConstraints()).isEqualTo(-1);
    assertThat(c.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
    assertThat(c.getKeyUsage()).startsWith(true, false, true); // digitalSignature, keyEncipherment
    assertThat(San.entries(San.of(c), false)).containsExactly("DNS:agent1.example.com");
    assertThat(utf8(c, "1.3.6.1.4.1.34380.1.1.1"))
        .isEqualTo("ED803750-E3C7-44F5-BB08-41A04433FE2E");
    AuthorityKeyIdentifier aki =
        AuthorityKeyIdentifier.getInstance(
            ASN1OctetString.getInstance(c.getExtensionValue("2.5.29.35")).getOctets());
    assertThat(aki.getKeyIdentifier())
        .isEqualTo(KeyIds.subjectKeyIdOf(server.issuer().certificate()));
    assertThat(aki.getAuthorityCertSerialNumber()).isEqualTo(BigInteger.ONE);

    // recorded: signed file, inventory line with the serial, CSR gone
    String inventory = Files.readString(server.config().store().inventory());
    assertThat(inventory)
        .contains(String.format("0x%04X ", c.getSerialNumber()))
        .containsPattern(
            "0x[0-9A-F]{4,} \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dUTC \\S+UTC /CN=agent1.example.com\n");
    assertThat(server.config().store().csrdir().resolve("agent1.example.com.pem")).doesNotExist();
    assertThat(Files.readString(server.config().store().serial())).matches("[0-9A-F]{4,}");
    assertThat(new BigInteger(Files.readString(server.config().store().serial()), 16))
        .isGreaterThan(c.getSerialNumber());
  }

  @Test
  void sanAlwaysCarriesTheCertnameAndRsaCsrsWork() {
    String csr = TestPki.csr("rsa-agent").key(Keys.rsa(2048)).pem();
    assertThat(anon.put("/puppet-ca/v1/certificate_request/rsa-agent", csr).statusCode())
        .isEqualTo(200);
    X509Certificate c = signed("rsa-agent");
    assertThat(c.getPublicKey().getAlgorithm()).isEqualTo("RSA");
    assertThat(San.entries(San.of(c), false)).containsExactly("DNS:rsa-agent");
  }

  @Test
  void serialsIncreaseOneByOne() {
    anon.put("/puppet-ca/v1/certificate_request/serial-a", TestPki.csr("serial-a").pem());
    anon.put("/puppet-ca/v1/certificate_request/serial-b", TestPki.csr("serial-b").pem());
    assertThat(signed("serial-b").getSerialNumber())
        .isEqualTo(signed("serial-a").getSerialNumber().add(BigInteger.ONE));
  }

  @Test
  void csrVersionOtherThanZeroIsAccepted() throws Exception {
    String pem = CsrVersions.withVersion("v2-agent", 2);
    HttpResponse<String> r = anon.put("/puppet-ca/v1/certificate_request/v2-agent", pem);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(signed("v2-agent").getSubjectX500Principal().getName()).isEqualTo("CN=v2-agent");
  }

  @Test
  void aSignedNameIsADuplicate() {
    anon.put("/puppet-ca/v1/certificate_request/dup", TestPki.csr("dup").pem());
    signed("dup");
    HttpResponse<String> r =
        anon.put("/puppet-ca/v1/certificate_request/dup", TestPki.csr("dup").pem());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body())
        .isEqualTo("dup already has a signed certificate; ignoring certificate request");
  }

  @ParameterizedTest(name = "400/{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      cn mismatch      | other.example    | agent.example    | Instance name "other.example" does not match requested key "agent.example"
      upper case       | Upper.example    | Upper.example    | Certificate names must be lower case.
      wildcard         | *.example        | *.example        | Subject contains a wildcard, which is not allowed: *.example
      trailing dash    | bad-             | bad-             | Subject hostname format is invalid
      empty label      | bad..example     | bad..example     | Subject hostname format is invalid
      """)
  void nameRules(String caseName, String cn, String urlName, String message) {
    String url = "/puppet-ca/v1/certificate_request/" + urlName.replace("*", "%2A");
    HttpResponse<String> r = anon.put(url, TestPki.csr(cn).pem());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
    assertThat(r.body()).isEqualTo(message);
    assertThat(server.config().store().csrdir().resolve(urlName + ".pem")).doesNotExist();
  }

  @Test
  void extraAltNamesAreRefusedAndTheCsrStaysPending() {
    HttpResponse<String> r =
        anon.put(
            "/puppet-ca/v1/certificate_request/san-agent",
            TestPki.csr("san-agent").dns("san-agent", "other.example").ip("10.0.0.1").pem());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body())
        .isEqualTo(
            "CSR 'san-agent' contains extra subject alternative names (IP:10.0.0.1, DNS:other.example),"
                + " which are disallowed. To allow subject alternative names, set allow-subject-alt-names to true in your ca.conf"
                + " file. Then restart the puppetserver and try signing this certificate again.");
    assertThat(anon.get("/puppet-ca/v1/certificate_request/san-agent").statusCode()).isEqualTo(200);
    assertThat(anon.get("/puppet-ca/v1/certificate/san-agent").statusCode()).isEqualTo(404);
  }

  @Test
  void authorizationExtensionsAreRefused() {
    HttpResponse<String> r =
        anon.put(
            "/puppet-ca/v1/certificate_request/auth-agent",
            TestPki.csr("auth-agent").extension("1.3.6.1.4.1.34380.1.3.1", false, "x").pem());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body())
        .isEqualTo(
            "CSR 'auth-agent' contains an authorization extension, which is disallowed. To allow"
                + " authorization extensions, set allow-authorization-extensions to true in your ca.conf file. Then restart the"
                + " puppetserver and try signing this certificate again.");
  }

  @Test
  void extensionsOutsideTheWhitelistAreRefused() {
    HttpResponse<String> r =
        anon.put(
            "/puppet-ca/v1/certificate_request/ext-agent",
            TestPki.csr("ext-agent")
                .extension("1.9.9.9.9.9.9", false, "x")
                .extension("2.5.29.32", true, "y")
                .pem());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body())
        .isEqualTo("Found extensions that are not permitted: 1.9.9.9.9.9.9, 2.5.29.32");
  }

  @Test
  void aForgedSignatureIsRefused() {
    HttpResponse<String> r =
        anon.put(
            "/puppet-ca/v1/certificate_request/forged",
            TestPki.csr("forged").corruptSignature().pem());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body())
        .isEqualTo("CSR contains a public key that does not correspond to the signing key");
    assertThat(anon.get("/puppet-ca/v1/certificate/forged").statusCode()).isEqualTo(404);
  }

  private static String utf8(X509Certificate c, String oid) throws Exception {
    return DERUTF8String.getInstance(
            ASN1OctetString.getInstance(c.getExtensionValue(oid)).getOctets())
        .getString();
  }
}
