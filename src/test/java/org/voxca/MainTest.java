package org.voxca;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MainTest {
  @TempDir Path dir;

  private String[] run(String... args) {
    CommandLine cl = Main.commandLine();
    StringWriter err = new StringWriter();
    StringWriter out = new StringWriter();
    cl.setErr(new PrintWriter(err, true));
    cl.setOut(new PrintWriter(out, true));
    return new String[] {String.valueOf(cl.execute(args)), out.toString(), err.toString()};
  }

  /** {@code serve --help} ends with what is in effect here, not a checkout's defaults. */
  @Test
  void serveHelpShowsTheValuesInEffect() throws Exception {
    Path conf = dir.resolve("voxca.conf");
    java.nio.file.Files.writeString(
        conf,
        "jruby-puppet { server-conf-dir: \""
            + dir.resolve("etc-puppet")
            + "\" }\nwebserver { ssl-port: 9443 }");
    String[] help =
        run("serve", "--config", conf.toString(), "--certname", "help.example", "--help");
    assertThat(help[0]).isEqualTo("0");
    assertThat(help[1])
        .contains("In effect here (configuration: " + conf + "):")
        .contains("https://0.0.0.0:9443")
        .contains("certname    help.example")
        .contains("confdir     " + dir.resolve("etc-puppet"))
        .contains("webserver.ssl-port, else 8140");
  }

  @Test
  void onlineVerbsFailWithOneLineWhenTheCaIsUnreachableOrTheAdminCertificateIsMissing()
      throws Exception {
    String[] common = {
      "--confdir",
      dir.resolve("puppet").toString(),
      "--server-certname",
      "voxca.test",
      "--setting",
      "keylength=2048"
    };
    String[] noCert = run(concat(new String[] {"ca", "list"}, common));
    assertThat(noCert[0]).isEqualTo("1");
    assertThat(noCert[2].trim())
        .startsWith("Error: cannot read the admin certificate under ")
        .doesNotContain("\n\tat ");

    assertThat(run(concat(new String[] {"ca", "setup"}, common))[0]).isEqualTo("0");
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    String[] refused =
        run(
            concat(
                new String[] {"ca", "list", "--server-url", "https://127.0.0.1:" + closed},
                common));
    assertThat(refused[0]).isEqualTo("1");
    assertThat(refused[2].trim())
        .isEqualTo(
            "Error: cannot reach the CA at https://127.0.0.1:"
                + closed
                + " (connection refused); is voxca running there?");
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
