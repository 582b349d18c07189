package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.voxca.ca.LogSafe;
import org.voxca.testing.LogCapture;
import org.voxca.testing.RawTls;
import org.voxca.testing.TestServer;

/**
 * Request data cannot forge or hide log lines: a decoded path carrying C1 controls, U+0085,
 * U+2028/2029 or bidi overrides, and (in header mode) an X-Client-DN holding ESC sequences reach
 * the server log, as its configured layout writes it, and the access log escaped.
 */
class LogForgeryIT {
  @TempDir Path dir;

  /** Every character of the output is safe but the line breaks the layout itself writes. */
  private static void clean(String what, String text) {
    for (String line : text.split("\n", -1)) {
      assertThat(line.chars().noneMatch(c -> LogSafe.unsafe((char) c)))
          .as("%s: %s", what, line)
          .isTrue();
    }
  }

  @Test
  void pathsAndHeaderIdentitiesAreEscapedInEveryLog() throws Exception {
    Path access = dir.resolve("access.log");
    try (LogCapture log = new LogCapture();
        TestServer s =
            TestServer.builder(dir.resolve("ca"))
                .hocon(
                    "authorization { allow-header-cert-info: true }\nvoxca { access-log: \""
                        + access
                        + "\" }")
                .start()) {
      String evilPath =
          "/puppet-ca/v1/certificate_status/a%C2%85b%E2%80%A8c%E2%80%A9d%E2%80%AEe%C2%9B31mf%E2%81%A6g";
      // RFC 4514 escapes: the DN parser turns \1B into ESC, \0D\0A into a line break
      String evilDn = "CN=evil\\1B[2J\\07\\0D\\0A2026-01-01 INFO forged line";
      for (String request :
          List.of(
              "GET " + evilPath + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
              "GET /puppet-ca/v1/certificate_statuses/any HTTP/1.1\r\nHost: x\r\n"
                  + "X-Client-Verify: SUCCESS\r\nX-Client-DN: "
                  + evilDn
                  + "\r\nConnection: close\r\n\r\n")) {
        try (RawTls t = RawTls.open(s.port(), s.caBundle(), InetAddress.getLoopbackAddress())) {
          t.write(request);
          assertThat(t.readAll(5000)).startsWith("HTTP/1.1 403");
        }
      }
      // the server log, formatted by the layout voxca ships
      @SuppressWarnings("unchecked")
      OutputStreamAppender<ILoggingEvent> stderr =
          (OutputStreamAppender<ILoggingEvent>)
              ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                  .getAppender("STDERR");
      StringBuilder written = new StringBuilder();
      for (ILoggingEvent e : log.events()) {
        written.append(new String(stderr.getEncoder().encode(e), StandardCharsets.UTF_8));
      }
      String server = written.toString();
      assertThat(server).contains("Forbidden request").contains("evil\\u001b[2J");
      assertThat(server).contains("a\\u0085b\\u2028c\\u2029d\\u202ee\\u009b31mf\\u2066g");
      clean("server log", server);

      // the access log's line is written once the response completed: after the client read it
      String accessLog = Files.readString(access);
      for (long end = System.nanoTime() + 5_000_000_000L;
          accessLog.lines().count() < 2 && System.nanoTime() < end; ) {
        Thread.sleep(20);
        accessLog = Files.readString(access);
      }
      assertThat(accessLog).contains("evil\\u001b[2J");
      clean("access log", accessLog);
    }
  }
}
