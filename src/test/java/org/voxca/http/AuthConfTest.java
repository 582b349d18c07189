package org.voxca.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.voxca.pki.CertBuilder;
import org.voxca.pki.Issuer;
import org.voxca.pki.Keys;
import org.voxca.testing.TestPki;

/** auth.conf rules, feature by feature, each with an allowed and a denied case. */
class AuthConfTest {
  static final KeyPair CA_KEY = Keys.rsa(2048);
  static final X509Certificate CA =
      CertBuilder.selfSignedCa(
          "Test CA",
          CA_KEY,
          BigInteger.ONE,
          Instant.now().minusSeconds(60),
          Instant.now().plus(Duration.ofDays(1)));
  static final Issuer ISSUER = new Issuer(CA, CA_KEY.getPrivate(), List.of(CA));

  @SuppressWarnings("unchecked")
  static AccessRules rules(String hocon, Map<String, String> extra) {
    Object rules =
        ConfigFactory.parseString("authorization { version: 1, rules: [" + hocon + "] }")
            .getValue("authorization.rules")
            .unwrapped();
    return AccessRules.fromAuthConf((List<Map<String, Object>>) rules, extra);
  }

  static AccessRules rules(String hocon) {
    return rules(hocon, Map.of());
  }

  static ClientIdentity id(String name, String... ext) throws Exception {
    List<Extension> exts = new ArrayList<>();
    for (int i = 0; i + 1 < ext.length; i += 2) {
      exts.add(
          new Extension(
              new ASN1ObjectIdentifier(ext[i]), false, new DERUTF8String(ext[i + 1]).getEncoded()));
    }
    X509Certificate c =
        CertBuilder.leaf(
            ISSUER,
            new CertBuilder.Leaf(
                name,
                SubjectPublicKeyInfo.getInstance(TestPki.ecKey().getPublic().getEncoded()),
                BigInteger.TEN,
                Instant.now().minusSeconds(60),
                Instant.now().plusSeconds(3600),
                new GeneralNames(new GeneralName(GeneralName.dNSName, name)),
                false,
                exts,
                false));
    return new ClientIdentity(name, c, false);
  }

  static boolean allowed(AccessRules r, String method, String path, ClientIdentity id) {
    return r.decide(method, path, Map.of(), id).allowed();
  }

  @Test
  void pathPrefixAndMethods() throws Exception {
    AccessRules r =
        rules(
            "{ name: a, match-request: { path: /x/, type: path, method: [get, put] }, allow: \"*\" }");
    assertThat(allowed(r, "GET", "/x/y", id("n"))).isTrue();
    assertThat(allowed(r, "PUT", "/x/y", id("n"))).isTrue();
    assertThat(allowed(r, "DELETE", "/x/y", id("n"))).isFalse();
    assertThat(allowed(r, "GET", "/y", id("n"))).isFalse();
    assertThat(r.decide("GET", "/y", Map.of(), id("n")).ruleName()).isNull();
  }

  @Test
  void regexWithBackReferences() throws Exception {
    AccessRules r =
        rules(
            "{ name: node, match-request: { path: \"^/puppet/v3/node/([^/]+)$\", type: regex }, allow: \"$1\" }");
    assertThat(allowed(r, "GET", "/puppet/v3/node/web1", id("web1"))).isTrue();
    assertThat(allowed(r, "GET", "/puppet/v3/node/web1", id("web2"))).isFalse();
  }

  @Test
  void unauthenticatedOnlyThroughAllowUnauthenticated() throws Exception {
    AccessRules r =
        rules(
            "{ name: open, match-request: { path: /open, type: path }, allow-unauthenticated: true },"
                + "{ name: star, match-request: { path: /star, type: path }, allow: \"*\" }");
    assertThat(allowed(r, "GET", "/open", ClientIdentity.ANONYMOUS)).isTrue();
    assertThat(allowed(r, "GET", "/star", ClientIdentity.ANONYMOUS)).isFalse();
    assertThat(allowed(r, "GET", "/star", id("anyone"))).isTrue();
  }

  @ParameterizedTest(name = "{0} vs {1} = {2}")
  @CsvSource({
    "*.example.com, web.example.com, true",
    "*.example.com, a.b.example.com, true",
    "*.example.com, example.org, false",
    "/^db\\d+\\./, db12.example.com, true",
    "/^db\\d+\\./, web.example.com, false",
    "exact.example.com, exact.example.com, true",
    "exact.example.com, other.example.com, false"
  })
  void certnamePatterns(String pattern, String name, boolean expected) throws Exception {
    AccessRules r =
        rules(
            "{ name: p, match-request: { path: /, type: path }, allow: \""
                + pattern.replace("\\", "\\\\")
                + "\" }");
    assertThat(allowed(r, "GET", "/x", id(name))).isEqualTo(expected);
  }

  @Test
  void certnameAndExtensionMaps() throws Exception {
    AccessRules r =
        rules(
            "{ name: m, match-request: { path: /, type: path }, allow: [{ certname: one.test },"
                + " { extensions: { pp_role: [web, db], \"1.3.6.1.4.1.34380.1.2.5\": blue } }] }");
    assertThat(allowed(r, "GET", "/x", id("one.test"))).isTrue();
    assertThat(
            allowed(
                r,
                "GET",
                "/x",
                id(
                    "two.test",
                    "1.3.6.1.4.1.34380.1.1.13",
                    "db",
                    "1.3.6.1.4.1.34380.1.2.5",
                    "blue")))
        .isTrue();
    assertThat(allowed(r, "GET", "/x", id("two.test", "1.3.6.1.4.1.34380.1.1.13", "db")))
        .as("all keys must match")
        .isFalse();
    assertThat(
            allowed(
                r,
                "GET",
                "/x",
                id(
                    "two.test",
                    "1.3.6.1.4.1.34380.1.1.13",
                    "mail",
                    "1.3.6.1.4.1.34380.1.2.5",
                    "blue")))
        .isFalse();
  }

  @Test
  void trustedOidMappingShortNames() throws Exception {
    AccessRules r =
        rules(
            "{ name: t, match-request: { path: /, type: path }, allow: { extensions: { team: ops } } }",
            Map.of("1.3.6.1.4.1.34380.1.2.9", "team"));
    assertThat(allowed(r, "GET", "/x", id("a", "1.3.6.1.4.1.34380.1.2.9", "ops"))).isTrue();
    assertThat(allowed(r, "GET", "/x", id("a", "1.3.6.1.4.1.34380.1.2.9", "dev"))).isFalse();
  }

  @Test
  void denyBeatsAllowAndTheFirstMatchingRuleDecides() throws Exception {
    AccessRules r =
        rules(
            "{ name: b, sort-order: 500, match-request: { path: /a, type: path }, allow: \"*\", deny: bad.test },"
                + "{ name: a, sort-order: 500, match-request: { path: /a, type: path }, deny: \"*\" },"
                + "{ name: z, sort-order: 100, match-request: { path: /a/special, type: path }, allow: bad.test }");
    assertThat(allowed(r, "GET", "/a/x", id("good.test")))
        .as("rule 'a' sorts before 'b'")
        .isFalse();
    assertThat(r.decide("GET", "/a/x", Map.of(), id("good.test")).ruleName()).isEqualTo("a");
    assertThat(allowed(r, "GET", "/a/special", id("bad.test"))).as("sort-order 100 first").isTrue();
    AccessRules r2 =
        rules("{ name: b, match-request: { path: /a, type: path }, allow: \"*\", deny: bad.test }");
    assertThat(allowed(r2, "GET", "/a", id("good.test"))).isTrue();
    assertThat(allowed(r2, "GET", "/a", id("bad.test"))).isFalse();
  }

  @Test
  void queryParams() throws Exception {
    AccessRules r =
        rules(
            "{ name: q, match-request: { path: /q, type: path, query-params: { environment: [production] } }, allow: \"*\" }");
    assertThat(
            r.decide("GET", "/q", Map.of("environment", List.of("production")), id("n")).allowed())
        .isTrue();
    assertThat(r.decide("GET", "/q", Map.of("environment", List.of("dev")), id("n")).ruleName())
        .isNull();
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      { name: a, match-request: { path: /, type: path }, allow: "*" }, { name: a, match-request: { path: /b, type: path }, allow: "*" } | auth.conf rule 'a': duplicate rule name
      { name: a, match-request: { path: /, type: path }, allow: "*", colour: red }                                                        | auth.conf rule 'a': unknown key 'colour'
      { name: a, match-request: { path: /, type: path, verb: get }, allow: "*" }                                                           | auth.conf rule 'a': unknown key 'match-request.verb'
      { name: a, match-request: { path: /, type: path }, allow-unauthenticated: true, allow: "*" }                                        | auth.conf rule 'a': allow-unauthenticated cannot be combined with allow or deny
      { name: a, match-request: { path: "^/(x", type: regex }, allow: "*" }                                                                | auth.conf rule 'a': bad regex '^/(x'
      { name: a, match-request: { path: /, type: path, method: fetch }, allow: "*" }                                                       | auth.conf rule 'a': unknown method 'fetch'
      { name: a, match-request: { path: /, type: path }, allow: "/(x/" }                                                                   | auth.conf rule 'a': bad regex '/(x/'
      { name: a, match-request: { path: /, type: path }, allow: { extensions: { no_such_name: x } } }                                     | auth.conf rule 'a': unknown extension short name 'no_such_name'
      { name: a, match-request: { path: /, type: path } }                                                                                  | auth.conf rule 'a': needs allow, deny or allow-unauthenticated
      """)
  void badFilesAreRefusedWithOneLine(String hocon, String message) {
    assertThatThrownBy(() -> rules(hocon))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(message)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }
}
