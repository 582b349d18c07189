package org.voxca.ca;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.slf4j.LoggerFactory;
import org.voxca.ca.autosign.AutosignPolicy;

/**
 * Coverage-guided fuzzing of CSR parsing, validation and signing: any bytes, as the DER of a CSR
 * submitted for {@code fuzz.test} to a CA that autosigns, must be signed or refused with a {@link
 * CaException} — never another exception. In regression mode (the default) it runs the inputs under
 * {@code CsrFuzzTestInputs/} (seeds and every crash ever found); {@code JAZZER_FUZZ=1} fuzzes for a
 * bounded time (CI does).
 */
class CsrFuzzTest {
  private static final Logger VOXCA = (Logger) LoggerFactory.getLogger("org.voxca");
  private static Level level;
  private static CaFixture fixture;
  private static int calls;

  /** A line per input would be millions of lines in a minute of fuzzing. */
  @BeforeAll
  static void quiet() {
    level = VOXCA.getLevel();
    VOXCA.setLevel(Level.OFF);
  }

  @AfterAll
  static void loud() {
    VOXCA.setLevel(level);
  }

  @FuzzTest(maxDuration = "60s")
  void submittingAnyCsrIsAnsweredOrRefused(byte[] der) {
    if (fixture == null || ++calls % 500 == 0) {
      fixture = new CaFixture(CaFixture.settings(true, true, true), AutosignPolicy.ALWAYS);
    }
    String pem =
        "-----BEGIN CERTIFICATE REQUEST-----\n"
            + Base64.getMimeEncoder().encodeToString(der)
            + "\n-----END CERTIFICATE REQUEST-----\n";
    try {
      fixture.ca.submitCsr("fuzz.test", pem.getBytes(StandardCharsets.US_ASCII));
    } catch (CaException refused) {
      // a refusal with a message is the expected answer to bad input
    }
  }
}
