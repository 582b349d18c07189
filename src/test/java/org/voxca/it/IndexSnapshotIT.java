package org.voxca.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxca.pki.Certificates;
import org.voxca.testing.LogCapture;
import org.voxca.testing.TestPki;
import org.voxca.testing.TestServer;

/**
 * A restart takes the signed index from its snapshot ({@code <cadir>/.voxca-index}, written at a
 * clean stop) and reads only the files changed since: a file removed, one replaced by another
 * certificate — even restored with an old modification time — and one added while voxca was down
 * are all listed as they are on disk. A damaged snapshot means a full scan, never a wrong listing.
 * When {@code signed/} is exactly as the snapshot left it, the index is served from the snapshot at
 * once and every file's inode time is checked in the background (a file rewritten in place moves no
 * directory time).
 */
class IndexSnapshotIT {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  private static TestServer start(Path root) throws Exception {
    return TestServer.builder(root).autosign("true").start();
  }

  /** name → serial (hex) of every signed certificate, as certificate_statuses lists them. */
  private static Map<String, String> listing(TestServer s) throws Exception {
    var r =
        s.admin()
            .get(
                "/puppet-ca/v1/certificate_statuses/any?state=signed",
                "Accept",
                "application/json");
    assertThat(r.statusCode()).isEqualTo(200);
    Map<String, String> out = new TreeMap<>();
    for (JsonNode n : JSON.readTree(r.body())) {
      out.put(n.get("name").asText(), n.get("serial_number").asText());
    }
    return out;
  }

  /** The same, read from the files themselves. */
  private static Map<String, String> onDisk(Path signed) throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (var files = Files.list(signed)) {
      for (Path f : files.filter(f -> f.toString().endsWith(".pem")).toList()) {
        String name = f.getFileName().toString().replace(".pem", "");
        out.put(
            name,
            Certificates.readCertificates(Files.readString(f)).get(0).getSerialNumber().toString());
      }
    }
    return out;
  }

  /** {@code n} agents named {@code <prefix><i>.snap.test} submit, and are autosigned. */
  private static void autosign(TestServer s, String prefix, int n) {
    for (int i = 0; i < n; i++) {
      String name = prefix + i + ".snap.test";
      assertThat(
              s.anonymous()
                  .put("/puppet-ca/v1/certificate_request/" + name, TestPki.csr(name).pem())
                  .statusCode())
          .isEqualTo(200);
    }
  }

  @Test
  void aRestartUsesTheSnapshotAndReadsWhatChangedWhileDown() throws Exception {
    Path root = dir.resolve("ca");
    Path cadir;
    try (TestServer s = start(root)) {
      cadir = s.cadir();
      autosign(s, "n", 12);
      Thread.sleep(2_500); // past the 2 s a scan allows for coarse file times: no re-read at start
    }
    Path snapshot = cadir.resolve(".voxca-index");
    assertThat(snapshot).exists();
    Path signed = cadir.resolve("signed");

    // while voxca is down: one removed, one replaced by another certificate restored with an old
    // mtime (cp -p), one added
    Files.delete(signed.resolve("n1.snap.test.pem"));
    Path replaced = signed.resolve("n2.snap.test.pem");
    FileTime old = Files.getLastModifiedTime(replaced);
    Files.copy(
        signed.resolve("n3.snap.test.pem"),
        replaced,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.setLastModifiedTime(replaced, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
    assertThat(Files.getLastModifiedTime(replaced)).isNotEqualTo(old);
    Files.copy(signed.resolve("n4.snap.test.pem"), signed.resolve("added.snap.test.pem"));

    try (LogCapture logs = new LogCapture();
        TestServer s = start(root)) {
      Map<String, String> listed = listing(s);
      assertThat(listed).isEqualTo(onDisk(signed));
      assertThat(listed).doesNotContainKey("n1.snap.test").containsKey("added.snap.test");
      assertThat(listed.get("n2.snap.test")).isEqualTo(listed.get("n3.snap.test"));
      assertThat(logs.events())
          .anyMatch(
              e ->
                  e.getFormattedMessage().contains("from the snapshot")
                      && e.getFormattedMessage().contains("(2 read"));
    }

    // a damaged snapshot: a full scan, the same listing
    byte[] bytes = Files.readAllBytes(snapshot);
    bytes[bytes.length / 2] ^= 0x5a;
    Files.write(snapshot, bytes);
    try (LogCapture logs = new LogCapture();
        TestServer s = start(root)) {
      assertThat(listing(s)).isEqualTo(onDisk(signed));
      assertThat(logs.events())
          .anyMatch(e -> e.getFormattedMessage().contains("Ignoring the index snapshot"));
    }
  }

  @Test
  void anUnchangedDirectoryIsServedFromTheSnapshotAtOnceAndEveryFileCheckedAfter()
      throws Exception {
    Path root = dir.resolve("quiet");
    Path cadir;
    try (TestServer s = start(root)) {
      cadir = s.cadir();
      autosign(s, "q", 6);
      Thread.sleep(2_500); // the directory settles: a snapshot may then vouch for it
    }
    Path signed = cadir.resolve("signed");
    try (LogCapture logs = new LogCapture();
        TestServer s = start(root)) {
      assertThat(listing(s)).isEqualTo(onDisk(signed));
      assertThat(logs.events()).anyMatch(e -> e.getFormattedMessage().contains("unchanged since"));
    }

    // while voxca is down, a file rewritten in place: same inode, so signed/ itself does not move
    Object dirTime = Files.getAttribute(signed, "unix:ctime");
    Files.write(
        signed.resolve("q2.snap.test.pem"),
        Files.readAllBytes(signed.resolve("q3.snap.test.pem")),
        java.nio.file.StandardOpenOption.TRUNCATE_EXISTING);
    assertThat(Files.getAttribute(signed, "unix:ctime")).isEqualTo(dirTime);
    try (LogCapture logs = new LogCapture();
        TestServer s = start(root)) {
      assertThat(logs.events()).anyMatch(e -> e.getFormattedMessage().contains("unchanged since"));
      // the check that follows in the background (10 s after the start) reads the rewritten file
      long deadline = System.nanoTime() + 40_000_000_000L;
      Map<String, String> listed = listing(s);
      while (!listed.get("q2.snap.test").equals(listed.get("q3.snap.test"))
          && System.nanoTime() < deadline) {
        Thread.sleep(100);
        listed = listing(s);
      }
      assertThat(listed).isEqualTo(onDisk(signed));
      assertThat(listed.get("q2.snap.test")).isEqualTo(listed.get("q3.snap.test"));
      assertThat(logs.events())
          .anyMatch(
              e ->
                  e.getFormattedMessage().startsWith("Indexed")
                      && e.getFormattedMessage().contains("(1 read"));
    }
  }
}
