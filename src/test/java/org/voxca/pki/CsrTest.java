package org.voxca.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.voxca.testing.TestPki;

class CsrTest {
  @Test
  void parsesAPemCsrAndReadsItsFacts() {
    Csr csr =
        Csr.fromPem(
            TestPki.csr("agent1.example.com")
                .dns("agent1.example.com", "alt.example.com")
                .autoRenew()
                .pem());
    assertThat(csr.commonName()).isEqualTo("agent1.example.com");
    assertThat(csr.signatureValid()).isTrue();
    assertThat(csr.requestsAutoRenewal()).isTrue();
    assertThat(San.entries(csr.subjectAltNames(), false))
        .containsExactly("DNS:agent1.example.com", "DNS:alt.example.com");
  }

  @Test
  void refusesAnythingButExactlyOneCsr() {
    String pem = TestPki.csr("a").pem();
    assertThatThrownBy(() -> Csr.fromPem("")).hasMessageContaining("empty body");
    assertThatThrownBy(() -> Csr.fromPem("garbage")).hasMessageContaining("no PEM");
    assertThatThrownBy(() -> Csr.fromPem(pem + pem)).hasMessageContaining("2 PEM objects");
    assertThatThrownBy(() -> Csr.fromPem(pem.substring(0, pem.length() / 2)))
        .isInstanceOf(PkiException.class);
  }

  @Test
  void detectsAForgedSignature() {
    assertThat(Csr.fromPem(TestPki.csr("a").corruptSignature().pem()).signatureValid()).isFalse();
  }
}
