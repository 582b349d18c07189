package org.voxca.assembly;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.voxca.ca.CaEvent;
import org.voxca.ca.LogSafe;
import org.voxca.files.AtomicFiles;

/**
 * The audit trail: one JSON object per line for every change the CA makes — time, event, actor,
 * certname, serials (decimal strings), outcome — appended and fsynced before the request that made
 * the change answers, by the server and the offline CLI alike (each line one {@code O_APPEND}
 * write, so both may write at once). The file is 0640; it never holds key material or a CSR.
 */
public final class AuditLog implements CaEvent.Listener {
  /** The JSON field names, which {@code voxca ca audit} reads back. */
  public static final String TIME = "time";

  public static final String EVENT = "event";
  public static final String ACTOR = "actor";
  public static final String CERTNAME = "certname";
  public static final String SERIALS = "serials";
  public static final String OUTCOME = "outcome";

  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path path;
  private final FileChannel channel;

  private AuditLog(Path path, FileChannel channel) {
    this.path = path;
    this.channel = channel;
  }

  /** Opens (creating it 0640, and its directory 0750) the audit log at {@code path}. */
  public static AuditLog open(Path path) {
    try {
      AtomicFiles.logFile(path);
      return new AuditLog(
          path, FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.APPEND));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the audit log " + path, e);
    }
  }

  public Path path() {
    return path;
  }

  @Override
  public void on(CaEvent e) {
    ObjectNode line = JSON.createObjectNode();
    line.put(TIME, e.time().toString());
    line.put(EVENT, e.kind().label());
    line.put(ACTOR, LogSafe.escape(e.actor()));
    line.put(CERTNAME, LogSafe.escape(e.target()));
    ArrayNode serials = line.putArray(SERIALS);
    for (BigInteger s : e.serials()) {
      serials.add(s.toString());
    }
    line.put(OUTCOME, LogSafe.escape(e.outcome()));
    append((line.toString() + "\n").getBytes(StandardCharsets.UTF_8));
  }

  private synchronized void append(byte[] bytes) {
    try {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      channel.write(buf); // one write: O_APPEND keeps a line whole beside other writers
      while (buf.hasRemaining()) {
        channel.write(buf);
      }
      channel.force(false);
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot append to the audit log " + path, ex);
    }
  }

  /** Closes the file; events after it are an error (logged by the CA, never fatal). */
  public synchronized void close() {
    try {
      channel.close();
    } catch (IOException e) {
      // nothing left to flush: every line was forced when written
    }
  }
}
